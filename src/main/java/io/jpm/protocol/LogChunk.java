package io.jpm.protocol;

/**
 * Which stream an {@link OutputChunk} belongs to and where it goes: one instance run's stdout or
 * stderr. {@code options} is the app's writer options as compact JSON ({@code {"log":combined
 * path, "date":dayjs format,"json":true,"max_size":..,"retain":..,"compress":..,
 * "rotate_interval":..}}, each key only when set), the same string for every chunk of a run.
 * {@code run} tells apart two runs of one pm_id that write at once (a reload's old and new run), so
 * their partial lines never mix.
 */
public record LogChunk(String app, int pmId, String stream, String path, String options, long run) {
    public static final String STDOUT = "out";
    public static final String STDERR = "err";
}
