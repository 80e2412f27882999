package io.github.dpsplugin.core.enroll;

/** Where a run reports: progress and the summary at info, each device's decision at debug. Never a secret. */
public interface EnrollListener {

    void info(String message);

    void debug(String message);

    void warn(String message);
}
