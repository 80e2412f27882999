package io.github.dpsplugin.maven;

import io.github.dpsplugin.core.fleet.BatchListener;
import java.util.Locale;
import org.apache.maven.plugin.logging.Log;

/**
 * The core's remarks in Maven's log (debug and warning lines) and, for a goal that reports
 * progress, an INFO line at most every few seconds on long runs.
 *
 * @param progressPrefix how progress lines start, e.g. "DPS certificates"; {@code null}: no progress lines
 */
record LogListener(Log log, String progressPrefix) implements BatchListener {

    @Override
    public void debug(String message) {
        log.debug(message);
    }

    @Override
    public void progress(long done, long total, long elapsedNanos) {
        if (progressPrefix == null) {
            return;
        }
        double rate = done / (elapsedNanos / 1e9);
        log.info(String.format(Locale.ROOT, "%s: %d/%d (%.0f%%), %.0f devices/s, about %.0f s left", progressPrefix,
                done, total, 100.0 * done / total, rate, (total - done) / Math.max(rate, 1e-9)));
    }

    @Override
    public void warning(String message) {
        log.warn(message);
    }
}
