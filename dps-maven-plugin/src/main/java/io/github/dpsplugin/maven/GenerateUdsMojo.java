package io.github.dpsplugin.maven;

import io.github.dpsplugin.core.fleet.UdsFileRequest;
import io.github.dpsplugin.core.fleet.UdsFileResult;
import io.github.dpsplugin.core.fleet.UdsFileWriter;
import io.github.dpsplugin.core.fleet.UdsFiles;
import java.io.File;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
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
public class GenerateUdsMojo extends AbstractDevicesMojo {

    /**
     * The new UDS file to write; it must not exist, and its directory must. Keep it off shared and
     * backed-up disks, and out of version control.
     */
    @Parameter(property = "dps.udsFile", required = true) private File udsFile;

    /**
     * The fleet's UDS files so far, comma-separated ({@code -Ddps.existingUdsFile=uds.csv}; in the POM
     * also {@code <existingUdsFiles><existingUdsFile>…</existingUdsFile></existingUdsFiles>}): a
     * device one of them holds, by registration ID or, for an ID derived from a MAC, by its MAC
     * under any firmware version, gets no new UDS. So at a release that adds devices the whole
     * devices file can be given, and only the new devices get a line. They are read, never written.
     */
    @Parameter(property = "dps.existingUdsFile", alias = "existingUdsFiles") private List<File> existingUdsFile;

    @Override
    protected void doExecute() {
        Log log = getLog();
        UdsFileResult result;
        try (UdsFiles existing = existingUdsFiles()) {
            result = UdsFileWriter.write(request(existing), new LogListener(log, null));
        }
        if (result.heldCount() > 0) {
            log.info(String.format(Locale.ROOT, "DPS UDS file: %d device%s already ha%s a UDS in %s: no new one",
                    result.heldCount(), result.heldCount() == 1 ? "" : "s", result.heldCount() == 1 ? "s" : "ve",
                    existingUdsFile.stream().map(File::getName).collect(Collectors.joining(", "))));
        }
        if (result.file() == null) {
            log.info("DPS UDS file: every selected device already has a UDS; no file written");
            return;
        }
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

    /**
     * Maps the parameters onto a core request; no computation here. As generate sees it: a device
     * naming udsServerId or udsEnv takes its UDS from there, not from the file.
     */
    UdsFileRequest request(UdsFiles existing) {
        UdsFileRequest.Builder b = UdsFileRequest.builder().udsFile(udsFile == null ? null : udsFile.toPath())
                .existing(existing);
        forEachListedDevice((label, id, mac, version, uds) -> {
            if (uds.given()) {
                b.deviceWithOwnUds(label, id, mac, version, uds.toString());
            } else {
                b.device(label, id, mac, version);
            }
        });
        if (devicesFile != null) {
            b.devicesFile(devicesFile.toPath(), firmwareVersion);
        }
        return b.shard(shard()).build();
    }

    /** The existing UDS files, read; null when none is given. */
    private UdsFiles existingUdsFiles() {
        if (existingUdsFile == null || existingUdsFile.isEmpty()) {
            return null;
        }
        return readUdsFiles(existingUdsFile.stream().map(File::toPath).collect(Collectors.toList()), "existingUdsFile");
    }

    @Override
    protected String logPrefix() {
        return "DPS UDS file";
    }
}
