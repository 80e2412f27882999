package io.github.dpsplugin.core.fleet;

import io.github.dpsplugin.core.dice.UdsSource;
import io.github.dpsplugin.core.id.RegistrationId;
import io.github.dpsplugin.core.output.Shard;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The devices of a run, in order: the listed ones (POM {@code <devices>}, a single command-line
 * device), then the devices file's, streamed, filtered to the shard by position. One definition,
 * so that {@code generate} and {@code generate-uds} select exactly the same devices.
 */
class DeviceSelection implements Iterator<DeviceSpec>, AutoCloseable {

    private final Iterator<DeviceSpec> listed;
    private final DevicesFile file;
    private final Shard shard;
    private long position;
    private DeviceSpec next;

    /**
     * @param udsLookup the UDS source of a devices-file device by its final registration ID (see
     *     {@link DevicesFile#open(Path, String, Function)})
     */
    DeviceSelection(List<DeviceSpec> listed, Path devicesFile, String defaultFirmwareVersion,
            Function<String, UdsSource> udsLookup, Shard shard) {
        this(listed, devicesFile, defaultFirmwareVersion, udsLookup, null, shard);
    }

    /**
     * @param fallbackId in a rollout, a devices-file device's previous registration ID, under which
     *     its UDS file line is looked for when there is none under its new ID ({@code null}: none)
     */
    DeviceSelection(List<DeviceSpec> listed, Path devicesFile, String defaultFirmwareVersion,
            Function<String, UdsSource> udsLookup, UnaryOperator<RegistrationId> fallbackId, Shard shard) {
        this.listed = listed.iterator();
        this.shard = shard;
        this.file = devicesFile == null ? null
                : DevicesFile.open(devicesFile, defaultFirmwareVersion, udsLookup).withFallbackId(fallbackId);
    }

    /** Reads (and validates) devices until the next one of the shard; a device in error throws, and the next call goes on after it. */
    @Override
    public boolean hasNext() {
        while (next == null) {
            DeviceSpec d;
            if (listed.hasNext()) {
                d = listed.next();
            } else if (file != null && file.hasNext()) {
                d = file.next();
            } else {
                return false;
            }
            if (shard.includes(position++)) {
                next = d;
            }
        }
        return true;
    }

    @Override
    public DeviceSpec next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        DeviceSpec d = next;
        next = null;
        return d;
    }

    /**
     * About how many devices the selection holds in all, from the {@code selected} read so far
     * and the share of the devices file read; {@code selected} itself when nothing is left to read
     * or the share is unknown.
     */
    long estimatedTotal(long selected) {
        double read = file == null ? -1 : file.fractionRead();
        if (read <= 0 || read >= 1) {
            return selected;
        }
        return Math.max(selected, Math.round(selected / read));
    }

    @Override
    public void close() {
        if (file != null) {
            file.close();
        }
    }
}
