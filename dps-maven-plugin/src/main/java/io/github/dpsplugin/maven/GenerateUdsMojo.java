package io.github.dpsplugin.maven;

import io.github.dpsplugin.core.batch.BatchListener;
import io.github.dpsplugin.core.batch.UdsFileRequest;
import io.github.dpsplugin.core.batch.UdsFileResult;
import io.github.dpsplugin.core.batch.UdsFileWriter;
import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.output.Shard;
import java.io.File;
import java.util.List;
import java.util.Locale;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Makes a new UDS file: a fresh Unique Device Secret (32 bytes from {@code SecureRandom}, all
 * distinct) for every device {@code generate} would select (POM {@code <devices>}, the
 * {@code devicesFile}, or {@code registrationId}/{@code macAddress} + {@code firmwareVersion}, and
 * the {@code shard}), as the CSV that {@code generate}'s {@code udsFile} reads: a device whose
 * ID the DevKit derives from its MAC is written by its MAC, so the file serves every later
 * release. Devices added to a fleet later get a file of their own. The file is created new and owner-only (POSIX {@code rw-------}, or an
 * owner-only ACL); an existing file is never overwritten or appended to. No UDS is ever logged.
 *
 * <p>Not bound to a phase: {@code mvn io.github.dpsplugin:dps-maven-plugin:generate-uds
 * -Ddps.devicesFile=devices.csv -Ddps.firmwareVersion=2.0.0 -Ddps.udsFile=/secure/uds.csv}.
 */
@Mojo(name = "generate-uds", threadSafe = true, requiresProject = false)
public class GenerateUdsMojo extends AbstractDpsMojo {

    /**
     * The new UDS file to write; it must not exist, and its directory must. Keep it off shared and
     * backed-up disks, and out of version control.
     */
    @Parameter(property = "dps.udsFile", required = true)
    private File udsFile;

    /**
     * The devices, as for generate: each {@code <device>} has a {@code registrationId} or a
     * {@code macAddress} (with {@code firmwareVersion}). A device with its own {@code udsServerId}
     * or {@code udsEnv} gets no line (generate reads its UDS from there), with a warning.
     */
    @Parameter
    private List<Device> devices;

    /** One device's registration ID, for a single device without a {@code <devices>} list. */
    @Parameter(property = "dps.registrationId")
    private String registrationId;

    /** One device's Wi-Fi MAC address, from which the DevKit derives its registration ID (with {@code firmwareVersion}). */
    @Parameter(property = "dps.macAddress")
    private String macAddress;

    /** With registrationId/macAddress: that device takes its UDS from this settings.xml server instead, so it gets no line. */
    @Parameter(property = "dps.udsServerId")
    private String udsServerId;

    /** With registrationId/macAddress: that device takes its UDS from this environment variable instead, so it gets no line. */
    @Parameter(property = "dps.udsEnv")
    private String udsEnv;

    /** The firmware version devices report (N.N.N, the DevKit SDK version); the default for every device. */
    @Parameter(property = "dps.firmwareVersion")
    private String firmwareVersion;

    /**
     * A fleet's devices: CSV with a header line, columns {@code registrationId}, or {@code macAddress}
     * with an optional {@code firmwareVersion}. Combined with {@code <devices>}, which come first.
     */
    @Parameter(property = "dps.devicesFile")
    private File devicesFile;

    /** Only part of the fleet, {@code i/n}, exactly the devices generate's {@code shard} takes. */
    @Parameter(property = "dps.shard")
    private String shard;

    @Override
    protected String logPrefix() {
        return "DPS UDS file";
    }

    @Override
    protected void doExecute() {
        Log log = getLog();
        UdsFileResult result = UdsFileWriter.write(request(), new BatchListener() {
            @Override
            public void debug(String message) {
                log.debug(message);
            }

            @Override
            public void warning(String message) {
                log.warn(message);
            }
        });
        String file = result.file().toString();
        log.info(String.format(Locale.ROOT, "DPS UDS file: %d new UDS value%s written to %s (readable by its"
                + " owner only)", result.deviceCount(), result.deviceCount() == 1 ? "" : "s", file));
        log.info("Next: 1. store " + file + " in your CI secret store (it holds the devices' root secrets: keep"
                + " it out of version control, shared disks and backups);");
        log.info("  2. program each device with its line's value: in the DevKit's configuration mode (hold A,"
                + " press and release Reset, release A), type set_dps_uds <uds> on its serial console;");
        log.info("  3. run generate with it: -Ddps.udsFile=<path> (or dps.udsFileEnv / dps.udsFileServerId naming"
                + " the mounted secret) and the same devices; with the fleet's other UDS files, comma-separated"
                + " (-Ddps.udsFile=uds.csv,<path>). Every later release reads the file unchanged.");
    }

    /** Maps the parameters onto a core request; no computation here. */
    UdsFileRequest request() {
        UdsFileRequest.Builder b = UdsFileRequest.builder().udsFile(udsFile == null ? null : udsFile.toPath());
        if (devices != null) {
            for (int i = 0; i < devices.size(); i++) {
                Device d = devices.get(i);
                String label = "#" + (i + 1) + " of <devices>";
                if (d.hasInlineUds()) {
                    throw new DpsException("uds", "<uds> of device " + label + " is refused: a UDS written in a POM"
                            + " ends up in version control and build logs. Remove it; generate-uds writes the"
                            + " device's UDS into the udsFile");
                }
                add(b, label, d.getRegistrationId(), d.getMacAddress(),
                        d.getFirmwareVersion() != null ? d.getFirmwareVersion() : firmwareVersion,
                        d.getUdsServerId(), d.getUdsEnv());
            }
        }
        if (notBlank(registrationId) || notBlank(macAddress)) {
            add(b, "given by dps.registrationId/dps.macAddress", registrationId, macAddress, firmwareVersion,
                    udsServerId, udsEnv);
        }
        if (devicesFile != null) {
            b.devicesFile(devicesFile.toPath(), firmwareVersion);
        }
        return b.shard(shard == null || shard.isBlank() ? Shard.ALL : Shard.parse(shard)).build();
    }

    /** As generate sees it: a device naming udsServerId or udsEnv takes its UDS from there, not from the file. */
    private static void add(UdsFileRequest.Builder b, String label, String id, String mac, String version,
            String serverId, String env) {
        if (notBlank(serverId) && notBlank(env)) {
            throw new DpsException("udsServerId", "give either udsServerId or udsEnv, not both").forDevice(label);
        }
        if (notBlank(serverId)) {
            b.deviceWithOwnUds(label, id, mac, version, "settings.xml server '" + serverId.strip() + "'");
        } else if (notBlank(env)) {
            b.deviceWithOwnUds(label, id, mac, version, "environment variable " + env.strip());
        } else {
            b.device(label, id, mac, version);
        }
    }
}
