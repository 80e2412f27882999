package io.github.dpsplugin.core.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SecretBufferTest {

    @Test
    void hexDigitsAreLowerCaseForEveryNibble() {
        for (int n = 0; n < 16; n++) {
            assertEquals(Character.forDigit(n, 16), (char) SecretBuffer.hexDigit(n));
        }
    }
}
