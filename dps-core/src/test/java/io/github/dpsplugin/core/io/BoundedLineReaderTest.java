package io.github.dpsplugin.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BoundedLineReaderTest {

    @Test
    void closeOverwritesTheLineBuffersAndTheReadAheadOfTheFile() throws IOException {
        byte[] file = "registrationId,uds\ndev-1,0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"
                .getBytes(StandardCharsets.US_ASCII);
        BoundedLineReader reader = new BoundedLineReader(new ByteArrayInputStream(file), "udsFile", "uds.csv", 1024,
                1 << 20, false);
        assertEquals(18, reader.next());
        // the whole file is in the read-ahead buffer by now
        assertTrue(new String(reader.readAhead(), StandardCharsets.US_ASCII).contains("0123456789abcdef"));
        assertEquals(70, reader.next());
        byte[] readAhead = reader.readAhead();
        reader.close();
        assertArrayEquals(new char[reader.chars().length], reader.chars());
        assertEquals(64 * 1024, readAhead.length);
        assertArrayEquals(new byte[readAhead.length], readAhead);
    }
}
