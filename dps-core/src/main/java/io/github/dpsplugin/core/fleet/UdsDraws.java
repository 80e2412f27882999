package io.github.dpsplugin.core.fleet;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Fresh UDS values of one run, each unlike every earlier one. Earlier draws are remembered by 64
 * bits of their SHA-256, not by value: the run holds no UDS but the current one. A repeat (of the
 * fingerprint, so also of any value) is drawn again.
 */
final class UdsDraws {

    private final SecureRandom random;
    private final Consumer<String> debug;
    private final MessageDigest sha256;
    private final Set<Long> drawn = new HashSet<>();

    UdsDraws(SecureRandom random, Consumer<String> debug) {
        this.random = random;
        this.debug = debug;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK guarantees SHA-256", e);
        }
    }

    /** Fills {@code uds} with fresh random bytes unlike every earlier draw of this run. */
    void next(byte[] uds) {
        while (true) {
            random.nextBytes(uds);
            byte[] h = sha256.digest(uds);
            long fingerprint = 0;
            for (int i = 0; i < Long.BYTES; i++) {
                fingerprint = fingerprint << 8 | (h[i] & 0xff);
            }
            Arrays.fill(h, (byte) 0);
            if (drawn.add(fingerprint)) {
                return;
            }
            debug.accept("a drawn UDS repeated an earlier one; drawn again");
        }
    }
}
