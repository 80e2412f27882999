package io.github.dpsplugin.core.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.dice.UdsSource;
import io.github.dpsplugin.core.id.RegistrationId;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
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

    /** Devices read one by one; an element that is an exception is thrown where the device would be read. */
    private static Iterator<DeviceSpec> reading(Object... steps) {
        Deque<Object> left = new ArrayDeque<>(List.of(steps));
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                if (left.peek() instanceof DpsException) {
                    throw (DpsException) left.poll();
                }
                return !left.isEmpty();
            }

            @Override
            public DeviceSpec next() {
                return (DeviceSpec) left.poll();
            }
        };
    }

    private static DeviceSpec device(String id) {
        UdsSource notRead = () -> {
            throw new IllegalStateException("not read here");
        };
        return DeviceSpec.of(RegistrationId.of(id), notRead);
    }

    @Test
    void nextPassesOverADeviceInErrorAndCountsIt() {
        DeviceErrors errors = new DeviceErrors();
        DeviceSpec a = device("dev-a");
        DeviceSpec b = device("dev-b");
        DpsException bad = new DpsException("macAddress", "'x' is not a MAC address").forDevice("devices.csv:3");
        Iterator<DeviceSpec> devices = reading(a, bad, b);

        assertSame(a, errors.next(devices));
        assertSame(b, errors.next(devices));
        assertNull(errors.next(devices));
        assertEquals(1, errors.total());
        assertSame(bad, errors.exception(true));
    }

    @Test
    void nextThrowsAnErrorOfTheInputItself() {
        DeviceErrors errors = new DeviceErrors();
        DpsException unusable = new DpsException("devicesFile", "cannot be read");
        Iterator<DeviceSpec> devices = reading(device("dev-a"), unusable);
        assertEquals("dev-a", errors.next(devices).registrationId().value());
        assertSame(unusable, assertThrows(DpsException.class, () -> errors.next(devices)));
        assertEquals(0, errors.total());
    }
}
