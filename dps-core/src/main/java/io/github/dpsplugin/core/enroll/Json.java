package io.github.dpsplugin.core.enroll;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Compact JSON bytes of an enrollment kept by the plan, back to a tree. */
final class Json {

    private Json() {
    }

    static JsonNode tree(byte[] compact) {
        try {
            return DpsClient.READER.readTree(compact);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // written by DpsClient.bytes: always JSON
        }
    }
}
