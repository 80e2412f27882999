package io.github.dpsplugin.core.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.github.dpsplugin.core.common.DpsException;
import org.junit.jupiter.api.Test;

class DeviceErrorsTest {

    @Test
    void oneErrorIsItself() {
        DeviceErrors errors = new DeviceErrors();
        DpsException e = new DpsException("udsEnv", "is not set").forDevice("'a' (#1 of <devices>)");
        errors.add(e);
        assertSame(e, errors.exception(true));
    }

    @Test
    void errorsAlikeAreOneLineInTheOrderFirstMetAndOthersOneLineEach() {
        DeviceErrors errors = new DeviceErrors();
        for (int i = 1; i <= 5; i++) {
            errors.add(new DpsException("udsEnv", "MISSING is not set").forDevice("devices.csv:" + i));
            if (i == 2) {
                errors.add(new DpsException("macAddress", "'x' is not a MAC address").forDevice("devices.csv:99"));
            }
        }
        errors.add(new DpsException("udsEnv", "MISSING is not set").forDevice("devices.csv:7"));
        assertEquals(7, errors.total());
        assertEquals("devices: 7 devices are in error; nothing was written:\n"
                + "  6 devices: udsEnv: MISSING is not set (devices.csv:1, devices.csv:2, devices.csv:3 and 3 more)\n"
                + "  device devices.csv:99: macAddress: 'x' is not a MAC address", errors.exception(true).getMessage());
    }

    @Test
    void beyondTheListedLinesErrorsAreCountedAndAnEarlyStopSaysSo() {
        DeviceErrors errors = new DeviceErrors();
        for (int i = 0; i < DeviceErrors.MAX_LINES + 5; i++) {
            errors.add(new DpsException("registrationId", "'d" + i + "' is bad").forDevice("#" + i));
        }
        String m = errors.exception(true).getMessage();
        assertEquals(DeviceErrors.MAX_LINES + 2, m.split("\n").length, m);
        assertEquals("  and 5 more devices in error otherwise", m.substring(m.lastIndexOf('\n') + 1));
        String early = errors.exception(false).getMessage();
        assertEquals("devices: more than " + (DeviceErrors.MAX_LINES + 4) + " devices are in error; nothing was"
                + " written:", early.substring(0, early.indexOf('\n')));
    }
}
