package io.github.dpsplugin.core.fleet;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.dice.Uds;
import io.github.dpsplugin.core.dice.UdsSource;
import io.github.dpsplugin.core.id.MacAddress;
import io.github.dpsplugin.core.id.RegistrationId;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Makes a fleet's UDS file: for every selected device a fresh UDS, 32 bytes from a
 * {@link SecureRandom}, all distinct, written as the {@link UdsFile} format reads it (header
 * {@code registrationId,macAddress,uds}, then per line {@code <registration ID>,,<64 lower-case hex>}
 * for a device with an explicit ID, {@code ,<mac>,<64 lower-case hex>} for one whose ID the DevKit
 * derives from its MAC: that line serves the device under every firmware version it will report).
 *
 * <p>The file is made safely: it is created new in its (existing) directory, owner-only from the
 * first byte (a temporary file made with POSIX {@code rw-------} or an owner-only ACL), filled,
 * forced to disk, and only then given its name, without ever replacing a file: an existing file is
 * refused and left untouched, and any error leaves nothing behind. No UDS reaches a message or a
 * {@link BatchListener}; the buffers the values pass through are overwritten when done.
 */
public final class UdsFileWriter {

    private static final String FIELD = "udsFile";
    /** The header line; {@link UdsFile} skips it. */
    public static final String HEADER = UdsFile.HEADER;

    private UdsFileWriter() {
    }

    /**
     * Writes the UDS file of {@code request}.
     *
     * @throws DpsException naming {@code udsFile} when the file exists, its directory does not, or it
     *     cannot be written owner-only; naming the device and field for a bad device (all of them,
     *     as {@code generate} reports them). Nothing is left behind.
     */
    public static UdsFileResult write(UdsFileRequest request, BatchListener listener) {
        return write(request, listener, new SecureRandom());
    }

    /** As {@link #write(UdsFileRequest, BatchListener)}, drawing from {@code random} (for tests). */
    static UdsFileResult write(UdsFileRequest request, BatchListener listener, SecureRandom random) {
        long t0 = System.nanoTime();
        Path target = request.udsFile();
        Path dir = SecretFiles.checkTarget(target);
        UdsFileDirectory.warnAboutLeftovers(dir, target, listener::warning);
        Path temp = SecretFiles.createOwnerOnly(dir, target.getFileName().toString());
        boolean published = false;
        try {
            UdsFileResult result = fill(request, listener, new UdsDraws(random, listener::debug), temp);
            if (result.file() == null) {
                return result; // every device already had a UDS: no file, the temporary one is removed
            }
            SecretFiles.publish(temp, target);
            published = true;
            listener.debug(String.format(Locale.ROOT, "%d UDS values drawn and written in %d ms",
                    result.deviceCount(), (System.nanoTime() - t0) / 1_000_000));
            return result;
        } finally {
            if (!published) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // owner-only and named as temporary; the error being reported matters more
                }
            }
        }
    }

    // ---- the devices ---------------------------------------------------------------------------

    /** Marks a device that gets a new UDS here; never opened ({@code generate} reads the file). */
    private static final class NewUds implements UdsSource {
        @Override
        public Uds open() {
            throw new IllegalStateException("a device of a UDS file request has no UDS yet");
        }

        @Override
        public String toString() {
            return "a new UDS";
        }
    }

    static DeviceSpec newUdsDevice(String label, String registrationId, String macAddress, String firmwareVersion) {
        return DeviceSpec.parse(label, registrationId, macAddress, firmwareVersion, new NewUds());
    }

    static DeviceSpec ownUdsDevice(String label, String registrationId, String macAddress, String firmwareVersion,
            String where) {
        UdsSource elsewhere = new UdsSource() {
            @Override
            public Uds open() {
                throw new IllegalStateException("a device of a UDS file request is not read");
            }

            @Override
            public String toString() {
                return where;
            }
        };
        return DeviceSpec.parse(label, registrationId, macAddress, firmwareVersion, elsewhere);
    }

    /**
     * Reads the devices, draws their UDS values and writes the file; returns what it holds.
     * Every device is checked; those in error are reported as {@link DeviceErrors} sums them up.
     */
    private static UdsFileResult fill(UdsFileRequest request, BatchListener listener, UdsDraws draws, Path temp) {
        DeviceErrors errors = new DeviceErrors();
        // the first label of each ID, and of each MAC of a device that gets a line (UdsFile finds it by its MAC)
        Map<String, String> ids = new HashMap<>();
        Map<MacAddress, String> macs = new HashMap<>();
        long written = 0;
        long skipped = 0;
        long held = 0;
        byte[] uds = new byte[Uds.LENGTH];
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
                SecretBuffer out = new SecretBuffer(channel);
                DeviceSelection devices = new DeviceSelection(request.devices(), request.devicesFile(),
                        request.defaultFirmwareVersion(), id -> new NewUds(), request.shard())) {
            out.ascii(HEADER);
            out.newline();
            DeviceSpec d;
            while ((d = errors.next(devices)) != null) {
                RegistrationId id = d.registrationId();
                String first = ids.putIfAbsent(id.value(), d.label());
                if (first != null) {
                    errors.add(IdCollisions.listedTwice(id, d.label(), first));
                    continue;
                }
                if (!(d.udsSource() instanceof NewUds)) {
                    skipped++;
                    listener.warning("device " + d.label() + " takes its UDS from " + d.udsSource() + ", so generate"
                            + " will not read it from the UDS file: no UDS made for it");
                    continue;
                }
                UdsSource line = request.existing() == null ? null : request.existing().lookup(id.value());
                if (line != null) {
                    held++;
                    listener.debug("device " + d.label() + " already has a UDS, on " + line + ": no new one");
                    continue;
                }
                // also an explicit ID of the derived form: the same device under any version
                MacAddress mac = RegistrationId.derivedMac(id.value());
                String sameMac = mac == null ? null : macs.putIfAbsent(mac, d.label());
                if (sameMac != null) {
                    errors.add(new DpsException("macAddress", "MAC address " + mac + " is listed more than once (also"
                            + " device " + sameMac + "); a device keeps one UDS for life, so each MAC needs one line")
                            .forDevice(d.label()));
                    continue;
                }
                if (!errors.isEmpty()) {
                    continue; // nothing will be published: draw no more secrets, keep validating
                }
                try {
                    draws.next(uds);
                    if (mac != null) {
                        out.put((byte) ',');
                        out.ascii(mac.value());
                    } else {
                        out.ascii(id.value());
                        out.put((byte) ',');
                    }
                    out.put((byte) ',');
                    out.hex(uds);
                    out.newline();
                } finally {
                    Arrays.fill(uds, (byte) 0);
                }
                written++;
            }
            if (!errors.isEmpty()) {
                throw errors.exception(true);
            }
            if (written == 0 && held > 0) {
                return new UdsFileResult(null, 0, skipped, held);
            }
            if (written == 0) {
                throw noDevice(request, skipped);
            }
            out.flush();
            channel.force(true);
        } catch (IOException e) {
            throw DpsException.environment(FIELD, "cannot write " + request.udsFile() + ": " + e.getMessage(), e);
        }
        return new UdsFileResult(request.udsFile(), written, skipped, held);
    }

    private static DpsException noDevice(UdsFileRequest request, long skipped) {
        if (skipped > 0) {
            return new DpsException("devices", "every selected device takes its UDS from elsewhere (udsServerId or"
                    + " udsEnv; see the warnings above), so no UDS file is needed for them");
        }
        return new DpsException("devices", request.shard().isAll()
                ? "no device to make a UDS for; list devices, give a devicesFile, or give a registrationId (or"
                        + " macAddress and firmwareVersion)"
                : "shard " + request.shard() + " holds no device; the fleet has fewer devices than shards");
    }
}
