package io.github.dpsplugin.core.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Repeated IDs are found by position; IDs whose digests collide are told apart once the caller says so. */
class SeenIdsTest {

    @Test
    void repeatedIdsGiveTheirFirstPosition() {
        SeenIds seen = new SeenIds();
        for (int i = 0; i < 50_000; i++) {
            assertEquals(-1, seen.add("dev-" + i, i));
        }
        assertEquals(17, seen.add("dev-17", 50_000));
        assertEquals(49_999, seen.add("dev-49999", 50_001));
    }

    @Test
    void collidingDigestsAreToldApartExactly() {
        SeenIds seen = new SeenIds(id -> 42L); // every ID collides
        assertEquals(-1, seen.add("a", 0));
        assertEquals(0, seen.add("b", 1));     // suspected: the caller reads devices[0], finds "a"
        seen.addExact("b", 1, "a", 0);
        assertEquals(0, seen.add("a", 2));     // a real repetition of "a"
        assertEquals(1, seen.add("b", 3));     // a real repetition of "b", at its own first position
        assertEquals(0, seen.add("c", 4));     // suspected again: "c" is neither
        seen.addExact("c", 4, "a", 0);
        assertEquals(4, seen.add("c", 5));
    }
}
