import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.objectweb.asm.Attribute;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * {@code java -cp asm.jar StripLocalVariables.java JAR}: rewrites the jar in place with every class's
 * local variable tables (LocalVariableTable, LocalVariableTypeTable) left out; line numbers and source
 * file names stay, so stack traces read as before. The shaded jar's dependencies are compiled with
 * them (jpm's own classes too, Maven's default -g): the daemon's class-data archive holds ~45,000
 * methods, and their tables with the names and descriptors they alone use were 0.9 MB of its 25.7 MB
 * (java -Xshare:dump -Xlog:cds=debug), all of it resident in every daemon (docs/BENCHMARKS.md). Only a
 * debugger shows them, and the JDK's own classes come without them too.
 *
 * <p>Each class is written again with a constant pool of what it still uses. A class with an attribute
 * ASM does not know is copied as it is: its bytes could name entries of the old pool.
 */
public final class StripLocalVariables {
    private StripLocalVariables() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: java -cp asm.jar StripLocalVariables.java JAR");
            System.exit(2);
        }
        Path jar = Path.of(args[0]);
        Path next = jar.resolveSibling(jar.getFileName() + ".stripped.tmp");
        long[] sizes = new long[2];
        try (ZipInputStream from = new ZipInputStream(new BufferedInputStream(Files.newInputStream(jar), 1 << 16));
                ZipOutputStream to =
                        new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(next), 1 << 16))) {
            for (ZipEntry entry; (entry = from.getNextEntry()) != null; ) {
                byte[] data = from.readAllBytes();
                if (entry.getName().endsWith(".class") && !entry.getName().endsWith("module-info.class")) {
                    sizes[0] += data.length;
                    data = strip(data);
                    sizes[1] += data.length;
                }
                ZipEntry copy = new ZipEntry(entry.getName());
                copy.setTime(entry.getTime());
                to.putNextEntry(copy);
                to.write(data);
                to.closeEntry();
            }
        }
        Files.move(next, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.println("[jpm] local variable tables left out of " + jar.getFileName() + "'s classes: "
                + sizes[0] / 1024 + " -> " + sizes[1] / 1024 + " KiB");
    }

    /** The class without its local variable tables, or as it was when it has an attribute ASM does not know. */
    static byte[] strip(byte[] original) {
        boolean[] unknown = {false};
        ClassWriter writer = new ClassWriter(0);
        new ClassReader(original)
                .accept(
                        new ClassVisitor(Opcodes.ASM9, writer) {
                            @Override
                            public void visitAttribute(Attribute attribute) {
                                unknown[0] = true;
                            }

                            @Override
                            public FieldVisitor visitField(
                                    int access, String name, String descriptor, String signature, Object value) {
                                return new FieldVisitor(
                                        Opcodes.ASM9, super.visitField(access, name, descriptor, signature, value)) {
                                    @Override
                                    public void visitAttribute(Attribute attribute) {
                                        unknown[0] = true;
                                    }
                                };
                            }

                            @Override
                            public MethodVisitor visitMethod(
                                    int access, String name, String descriptor, String signature, String[] exceptions) {
                                return new MethodVisitor(
                                        Opcodes.ASM9,
                                        super.visitMethod(access, name, descriptor, signature, exceptions)) {
                                    @Override
                                    public void visitLocalVariable(
                                            String variable,
                                            String type,
                                            String generic,
                                            Label start,
                                            Label end,
                                            int index) {
                                        // left out: the point of the rewrite
                                    }

                                    @Override
                                    public void visitAttribute(Attribute attribute) {
                                        unknown[0] = true;
                                    }
                                };
                            }
                        },
                        0);
        return unknown[0] ? original : writer.toByteArray();
    }
}
