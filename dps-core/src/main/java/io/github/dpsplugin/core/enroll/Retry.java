package io.github.dpsplugin.core.enroll;

import java.time.Duration;

/**
 * How long a DPS call is retried: a throttled answer (429) waits for its {@code Retry-After} (or
 * backs off when it has none) up to {@link #maxThrottled()} times; a 5xx or transport error is
 * retried {@link #maxFailures()} times with exponential backoff from {@link #firstDelay()} to
 * {@link #maxDelay()}. Bounded both ways, so a run never hangs on a service that does not recover.
 */
public record Retry(int maxFailures, int maxThrottled, Duration firstDelay, Duration maxDelay,
        Duration maxRetryAfter) {

    /** About half a minute of retries per call on errors; a throttling storm of up to 100 answers per call. */
    public static Retry standard() {
        return new Retry(6, 100, Duration.ofMillis(500), Duration.ofSeconds(8), Duration.ofSeconds(60));
    }

    /** The backoff before retry {@code n} (1-based). */
    Duration backoff(int n) {
        long ms = firstDelay.toMillis() << Math.min(n - 1, 20);
        return Duration.ofMillis(Math.min(ms, maxDelay.toMillis()));
    }

    /** The wait a {@code Retry-After} header asks for (seconds), bounded; the backoff when absent or unreadable. */
    Duration retryAfter(String header, int n) {
        if (header != null) {
            try {
                long s = Long.parseLong(header.trim());
                if (s >= 0) {
                    return Duration.ofSeconds(Math.min(s, maxRetryAfter.toSeconds()));
                }
            } catch (NumberFormatException e) {
                // an HTTP date or garbage: fall back to our own backoff
            }
        }
        return backoff(n);
    }
}
