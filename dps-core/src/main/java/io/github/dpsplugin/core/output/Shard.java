package io.github.dpsplugin.core.output;

import io.github.dpsplugin.core.common.DpsException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of n parts of a fleet, {@code i/n} (1-based): the devices whose position (0-based, in the
 * order listed: POM devices, then the devices file) modulo n is i−1. The n shards of a fleet
 * cover it with no overlap and no gap, so a CI matrix of n jobs can split it.
 */
public record Shard(int index, int count) {

    /** The whole fleet. */
    public static final Shard ALL = new Shard(1, 1);

    private static final Pattern FORMAT = Pattern.compile("\\s*(\\d{1,9})\\s*/\\s*(\\d{1,9})\\s*");

    public Shard {
        if (count < 1 || index < 1 || index > count) {
            throw new DpsException("shard", "'" + index + "/" + count + "' is not a shard; expected i/n with"
                    + " 1 <= i <= n, such as 1/4");
        }
    }

    public static Shard of(int index, int count) {
        return new Shard(index, count);
    }

    public static Shard parse(String text) {
        Matcher m = text == null ? null : FORMAT.matcher(text);
        if (m == null || !m.matches()) {
            throw new DpsException("shard", DpsException.quote(text) + " is not a shard; expected i/n with"
                    + " 1 <= i <= n, such as 1/4 (the first of four parts)");
        }
        return of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    /** Whether the device at {@code position} (0-based) belongs to this shard. */
    public boolean includes(long position) {
        return position % count == index - 1;
    }

    public boolean isAll() {
        return count == 1;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
