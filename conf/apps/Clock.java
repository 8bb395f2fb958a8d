import java.time.LocalTime;

/** A Java app run from source (java Clock.java): prints the time every two seconds. */
public class Clock {
  public static void main(String[] args) throws InterruptedException {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("clock: bye")));
    String label = args.length > 0 ? args[0] : "clock";
    while (true) {
      System.out.println(label + " " + LocalTime.now().withNano(0));
      System.err.println(label + " heartbeat");
      Thread.sleep(2000);
    }
  }
}
