package io.github.dpsplugin.core.batch;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.dice.UdsSource;
import io.github.dpsplugin.core.output.Shard;
import io.github.dpsplugin.core.output.StagedOutput;
import io.github.dpsplugin.core.pem.PemLayout;
import io.github.dpsplugin.core.x509.NoncePolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * What one run generates: a firmware, its devices (listed, and/or streamed from a devices file),
 * and where the outputs go. Immutable.
 */
public final class BatchRequest {

    private final Path firmwareBin;
    private final Path firmwareMap;
    private final Path firmwareElf;
    private final List<DeviceSpec> devices;
    private final Path devicesFile;
    private final String defaultFirmwareVersion;
    private final Function<String, UdsSource> udsLookup;
    private final Shard shard;
    private final int threads;
    private final boolean archive;
    private final boolean certificateFiles;
    private final boolean sharedUdsAllowed;
    private final boolean enrollment;
    private final String dpsName;
    private final String resourceGroup;
    private final long progressIntervalMillis;
    private final Path outputDirectory;
    private final NoncePolicy noncePolicy;
    private final PemLayout pemLayout;
    private final StagedOutput.Storage storage;
    private final io.github.dpsplugin.core.rollout.PreviousFirmware previousFirmware;

    private BatchRequest(Builder b) {
        this.firmwareBin = b.firmwareBin;
        this.firmwareMap = b.firmwareMap;
        this.firmwareElf = b.firmwareElf;
        this.devices = Collections.unmodifiableList(new ArrayList<>(b.devices));
        this.devicesFile = b.devicesFile;
        this.defaultFirmwareVersion = b.defaultFirmwareVersion;
        this.udsLookup = b.udsLookup;
        this.shard = Objects.requireNonNull(b.shard, "shard");
        this.threads = b.threads;
        this.archive = b.archive;
        this.certificateFiles = b.certificateFiles;
        this.sharedUdsAllowed = b.sharedUdsAllowed;
        this.enrollment = b.enrollment;
        this.dpsName = io.github.dpsplugin.core.output.AzureNames.dpsName(b.dpsName);
        this.resourceGroup = io.github.dpsplugin.core.output.AzureNames.resourceGroup(b.resourceGroup);
        if (enrollment && !certificateFiles) {
            throw new io.github.dpsplugin.core.common.DpsException("enrollmentScript", "the enrollment script uploads the"
                    + " per-device .pem files, which certificateFiles=false turns off; enable certificateFiles");
        }
        if (!archive && !certificateFiles) {
            throw new io.github.dpsplugin.core.common.DpsException("certificateFiles", "neither certificate files nor the"
                    + " archive would be written; enable one of them");
        }
        this.previousFirmware = b.previousFirmware;
        if (previousFirmware != null && !certificateFiles) {
            throw new io.github.dpsplugin.core.common.DpsException("certificateFiles", "a rollout (previousFirmware) writes"
                    + " dps-rollout.sh, which uploads the per-device .pem files that certificateFiles=false turns off;"
                    + " enable certificateFiles");
        }
        this.progressIntervalMillis = b.progressIntervalMillis;
        this.outputDirectory = Objects.requireNonNull(b.outputDirectory, "outputDirectory");
        this.noncePolicy = Objects.requireNonNull(b.noncePolicy, "noncePolicy");
        this.pemLayout = Objects.requireNonNull(b.pemLayout, "pemLayout");
        this.storage = Objects.requireNonNull(b.storage, "storage");
        if (threads < 1) {
            throw new io.github.dpsplugin.core.common.DpsException("threads", threads + " is not a thread count; expected 1 or more");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Path firmwareBin() {
        return firmwareBin;
    }

    public Path firmwareMap() {
        return firmwareMap;
    }

    /** The linked firmware ELF; when set, it is read instead of {@link #firmwareBin()} and {@link #firmwareMap()}. */
    public Path firmwareElf() {
        return firmwareElf;
    }

    /** Devices listed explicitly (e.g. in a POM); they come before those of the devices file. */
    public List<DeviceSpec> devices() {
        return devices;
    }

    /** A CSV devices file streamed after {@link #devices()}, or {@code null}. */
    public Path devicesFile() {
        return devicesFile;
    }

    public String defaultFirmwareVersion() {
        return defaultFirmwareVersion;
    }

    /** The UDS source of a devices-file device by its final registration ID. */
    public Function<String, UdsSource> udsLookup() {
        return udsLookup;
    }

    public Shard shard() {
        return shard;
    }

    public int threads() {
        return threads;
    }

    /** Whether to also write {@code dps-certificates.zip} holding every certificate of the run. */
    public boolean archive() {
        return archive;
    }

    /** Whether to write {@code <id>.pem} and {@code <id>-deviceid.pem} files (else only the archive). */
    /**
     * Whether several devices may have one UDS (test fleets reproducing reference vectors only); by
     * default such devices are refused, as they would get one DeviceID key.
     */
    public boolean sharedUdsAllowed() {
        return sharedUdsAllowed;
    }

    public boolean certificateFiles() {
        return certificateFiles;
    }

    /** Whether to write {@code dps-enroll.sh} and the DPS bulk enrollment bodies. */
    public boolean enrollment() {
        return enrollment;
    }

    /** The DPS instance named in the enrollment script, or null to read {@code $DPS_NAME} when run. */
    public String dpsName() {
        return dpsName;
    }

    /** The resource group named in the enrollment script, or null to read {@code $RESOURCE_GROUP}. */
    public String resourceGroup() {
        return resourceGroup;
    }

    public long progressIntervalMillis() {
        return progressIntervalMillis;
    }

    public Path outputDirectory() {
        return outputDirectory;
    }

    public NoncePolicy noncePolicy() {
        return noncePolicy;
    }

    /** Where the output's bytes go: the file system unless a test substitutes a failing one. */
    public StagedOutput.Storage storage() {
        return storage;
    }

    public PemLayout pemLayout() {
        return pemLayout;
    }

    /**
     * The firmware the devices run now, when this run prepares a rollout to the firmware being built
     * (previous alias certificates, {@code dps-rollout-*.json}, {@code dps-rollout.sh}); else {@code null}.
     */
    public io.github.dpsplugin.core.rollout.PreviousFirmware previousFirmware() {
        return previousFirmware;
    }

    /**
     * Builds a {@link BatchRequest}; defaults: nonce DEVKIT, PEM layout ONE_LINE, whole fleet,
     * one thread, certificate files and no archive, progress every 5 s.
     */
    public static final class Builder {
        private Path firmwareBin;
        private Path firmwareMap;
        private Path firmwareElf;
        private final List<DeviceSpec> devices = new ArrayList<>();
        private Path devicesFile;
        private String defaultFirmwareVersion;
        private Function<String, UdsSource> udsLookup = id -> null;
        private Shard shard = Shard.ALL;
        private int threads = 1;
        private boolean archive;
        private boolean certificateFiles = true;
        private boolean sharedUdsAllowed;
        private boolean enrollment;
        private String dpsName;
        private String resourceGroup;
        private long progressIntervalMillis = 5000;
        private Path outputDirectory;
        private NoncePolicy noncePolicy = NoncePolicy.DEVKIT;
        private PemLayout pemLayout = PemLayout.ONE_LINE;
        private StagedOutput.Storage storage = StagedOutput.Storage.FILES;
        private io.github.dpsplugin.core.rollout.PreviousFirmware previousFirmware;

        public Builder firmware(Path bin, Path map) {
            this.firmwareBin = bin;
            this.firmwareMap = map;
            return this;
        }

        /** Reads the firmware from its linked ELF (symbol table and sections) instead of a .bin and .map. */
        public Builder firmwareElf(Path elf) {
            this.firmwareElf = elf;
            return this;
        }

        public Builder device(DeviceSpec device) {
            devices.add(Objects.requireNonNull(device, "device"));
            return this;
        }

        public Builder devices(List<DeviceSpec> list) {
            list.forEach(this::device);
            return this;
        }

        /**
         * Streams devices from a CSV file; {@code udsLookup} gives each one's UDS source by its final
         * registration ID ({@code null} when it has none) and {@code defaultFirmwareVersion} serves
         * rows without a firmwareVersion.
         */
        public Builder devicesFile(Path file, String defaultFirmwareVersion, Function<String, UdsSource> udsLookup) {
            this.devicesFile = file;
            this.defaultFirmwareVersion = defaultFirmwareVersion;
            this.udsLookup = Objects.requireNonNull(udsLookup, "udsLookup");
            return this;
        }

        /**
         * The version devices report under the firmware being built (for devices file rows without
         * one, and to name the firmware in a rollout's summary); {@link #devicesFile} also sets it.
         */
        public Builder defaultFirmwareVersion(String version) {
            this.defaultFirmwareVersion = version;
            return this;
        }

        public Builder shard(Shard shard) {
            this.shard = shard;
            return this;
        }

        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        public Builder archive(boolean archive) {
            this.archive = archive;
            return this;
        }

        /** See {@link BatchRequest#sharedUdsAllowed()}. */
        public Builder sharedUdsAllowed(boolean sharedUdsAllowed) {
            this.sharedUdsAllowed = sharedUdsAllowed;
            return this;
        }

        public Builder certificateFiles(boolean certificateFiles) {
            this.certificateFiles = certificateFiles;
            return this;
        }

        /** Writes {@code dps-enroll.sh} and bulk enrollment bodies; null names are read from the environment when run. */
        public Builder enrollment(boolean enabled, String dpsName, String resourceGroup) {
            this.enrollment = enabled;
            this.dpsName = dpsName;
            this.resourceGroup = resourceGroup;
            return this;
        }

        public Builder progressIntervalMillis(long millis) {
            this.progressIntervalMillis = millis;
            return this;
        }

        public Builder outputDirectory(Path dir) {
            this.outputDirectory = dir;
            return this;
        }

        public Builder noncePolicy(NoncePolicy policy) {
            this.noncePolicy = policy;
            return this;
        }

        public Builder pemLayout(PemLayout layout) {
            this.pemLayout = layout;
            return this;
        }

        /** Where the output's bytes go; default the file system. For fault-injection tests. */
        public Builder storage(StagedOutput.Storage storage) {
            this.storage = storage;
            return this;
        }

        /** Prepares a rollout from {@code previous} (the firmware the devices run now); {@code null}: none. */
        public Builder previousFirmware(io.github.dpsplugin.core.rollout.PreviousFirmware previous) {
            this.previousFirmware = previous;
            return this;
        }

        public BatchRequest build() {
            return new BatchRequest(this);
        }
    }
}
