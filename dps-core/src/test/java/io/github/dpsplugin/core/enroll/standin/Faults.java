package io.github.dpsplugin.core.enroll.standin;

import java.time.Duration;
import java.time.Instant;

/** Injected refusals: a number of 429s or 5xxs for the next requests, and a quota per time window. */
final class Faults {

    private int throttle;
    private int retryAfterSeconds;
    private int fail;
    private int failStatus;
    private int quota;
    private Duration window;
    private Instant windowStart;
    private int inWindow;

    synchronized void throttleNext(int n, int retryAfter) {
        if (n < 0 || retryAfter < 0) {
            throw new IllegalArgumentException("negative count or Retry-After");
        }
        throttle = n;
        retryAfterSeconds = retryAfter;
    }

    synchronized void failNext(int n, int status) {
        if (n < 0) {
            throw new IllegalArgumentException("negative count");
        }
        fail = n;
        failStatus = status;
    }

    /** {@code operations} 0 lifts the quota. */
    synchronized void quota(int operations, Duration length) {
        if (operations < 0 || operations > 0 && (length == null || length.isNegative() || length.isZero())) {
            throw new IllegalArgumentException("a quota is a positive number of operations per positive window");
        }
        quota = operations;
        window = length;
        windowStart = null;
        inWindow = 0;
    }

    /** The refusal due for a request arriving now, or null. */
    synchronized Response next(Instant now) {
        if (throttle > 0) {
            throttle--;
            return throttled(retryAfterSeconds, "injected throttling");
        }
        if (fail > 0) {
            fail--;
            return Response.error(new DpsError(failStatus, 1, "injected server error"));
        }
        if (quota > 0) {
            if (windowStart == null || !now.isBefore(windowStart.plus(window))) {
                windowStart = now;
                inWindow = 0;
            }
            if (++inWindow > quota) {
                long ms = Duration.between(now, windowStart.plus(window)).toMillis();
                return throttled((int) Math.max(1, (ms + 999) / 1000), "more than " + quota + " operations in "
                        + window.toSeconds() + " s");
            }
        }
        return null;
    }

    private static Response throttled(int retryAfter, String why) {
        Response r = Response.error(new DpsError(429, 1, "Too many requests: " + why));
        r.headers().add(new String[] {"Retry-After", Integer.toString(retryAfter)});
        return r;
    }
}
