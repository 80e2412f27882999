package io.github.dpsplugin.core.riot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.github.dpsplugin.core.dice.FirmwareMeasurement;
import io.github.dpsplugin.core.dice.Uds;
import io.github.dpsplugin.core.firmware.FirmwareImage;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A chunk of devices, one device, and one device under two firmwares give the same keys. */
class RiotKeysTest {

    private static final FirmwareMeasurement NOW = firmware(1, 2);
    /** The same riot_core, another riot_fw: an OTA update. */
    private static final FirmwareMeasurement UPDATE = firmware(1, 3);
    /** Another riot_core: another CDI. */
    private static final FirmwareMeasurement OTHER_CORE = firmware(4, 2);

    private static FirmwareMeasurement firmware(int core, int fw) {
        byte[] riotCore = new byte[64];
        byte[] riotFw = new byte[256];
        Arrays.fill(riotCore, (byte) core);
        Arrays.fill(riotFw, (byte) fw);
        return FirmwareMeasurement.of(FirmwareImage.ofRanges(riotCore, riotFw));
    }

    private static Uds uds(int n) {
        byte[] b = new byte[Uds.LENGTH];
        Arrays.fill(b, (byte) (0x40 + n));
        return Uds.fromBytes(b);
    }

    private static void assertSameKeys(RiotKeys expected, RiotKeys actual) {
        assertEquals(expected.deviceId().privateScalar(), actual.deviceId().privateScalar());
        assertArrayEquals(expected.deviceId().publicKeyUncompressed(), actual.deviceId().publicKeyUncompressed());
        assertEquals(expected.alias().privateScalar(), actual.alias().privateScalar());
        assertArrayEquals(expected.alias().publicKeyUncompressed(), actual.alias().publicKeyUncompressed());
        assertArrayEquals(expected.fwid(), actual.fwid());
    }

    @Test
    void aChunkGivesEachDeviceItsOwnKeys() {
        Uds[] chunk = {uds(1), uds(2), uds(3)};
        RiotKeys[] all = RiotKeys.deriveAll(chunk, NOW, BaseMultiplier.TABLE);
        for (int i = 0; i < chunk.length; i++) {
            assertSameKeys(RiotKeys.derive(uds(i + 1), NOW, BaseMultiplier.COMB), all[i]);
        }
        assertNotEquals(all[0].alias().privateScalar(), all[1].alias().privateScalar());
    }

    @Test
    void twoFirmwaresSharingRiotCoreShareTheDeviceIdPair() {
        RiotKeys[] two = RiotKeys.deriveTwo(uds(5), NOW, UPDATE, BaseMultiplier.TABLE);
        assertSameKeys(RiotKeys.derive(uds(5), NOW), two[0]);
        assertSameKeys(RiotKeys.derive(uds(5), UPDATE), two[1]);
        assertSame(two[0].deviceId(), two[1].deviceId());
        assertNotEquals(two[0].alias().privateScalar(), two[1].alias().privateScalar());
    }

    @Test
    void anotherRiotCoreGivesAnotherDeviceIdPair() {
        RiotKeys[] two = RiotKeys.deriveTwo(uds(6), NOW, OTHER_CORE, BaseMultiplier.TABLE);
        assertSameKeys(RiotKeys.derive(uds(6), NOW), two[0]);
        assertSameKeys(RiotKeys.derive(uds(6), OTHER_CORE), two[1]);
        assertNotEquals(two[0].deviceId().privateScalar(), two[1].deviceId().privateScalar());
    }

    @Test
    void aRolloutChunkGivesEachDeviceWhatItGetsAloneUnderEachFirmware() {
        // 20 devices: 20 DeviceID and 40 Alias keys (shared riot_core) or 40 + 40, past the affine batch size
        Uds[] chunk = new Uds[20];
        for (int i = 0; i < chunk.length; i++) {
            chunk[i] = uds(10 + i);
        }
        for (FirmwareMeasurement previous : new FirmwareMeasurement[] {UPDATE, OTHER_CORE}) {
            RiotKeys[][] all = RiotKeys.deriveAllTwo(chunk, NOW, previous, BaseMultiplier.TABLE);
            for (int i = 0; i < chunk.length; i++) {
                assertSameKeys(RiotKeys.derive(uds(10 + i), NOW, BaseMultiplier.COMB), all[i][0]);
                assertSameKeys(RiotKeys.derive(uds(10 + i), previous, BaseMultiplier.COMB), all[i][1]);
                assertEquals(previous == UPDATE, all[i][0].deviceId() == all[i][1].deviceId());
            }
        }
    }
}
