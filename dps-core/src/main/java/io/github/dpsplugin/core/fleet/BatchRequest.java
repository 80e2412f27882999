package io.github.dpsplugin.core.fleet;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.dice.UdsSource;
import io.github.dpsplugin.core.firmware.FirmwareFiles;
import io.github.dpsplugin.core.output.AzureNames;
import io.github.dpsplugin.core.output.StagedOutput;
import io.github.dpsplugin.core.pem.PemLayout;
import io.github.dpsplugin.core.rollout.PreviousFirmware;
import io.github.dpsplugin.core.x509.NoncePolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * What one run generates: a firmware, its devices (listed, and/or streamed from a devices file),
 * and where the outputs go. Immutable.
 */
public final class BatchRequest extends DevicesRequest {

    private final FirmwareFiles firmware;
    private final Function<String, UdsSource> udsLookup;
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
    private final PreviousFirmware previousFirmware;

    private BatchRequest(Builder b) {
        super(b);
        this.firmware = b.firmware;
        this.udsLookup = b.udsLookup;
        this.threads = b.threads;
        this.archive = b.archive;
        this.certificateFiles = b.certificateFiles;
        this.sharedUdsAllowed = b.sharedUdsAllowed;
        this.enrollment = b.enrollment;
        this.dpsName = AzureNames.dpsName(b.dpsName);
        this.resourceGroup = AzureNames.resourceGroup(b.resourceGroup);
        if (enrollment && !certificateFiles) {
            throw new DpsException("enrollmentScript", "the enrollment script uploads the"
                    + " per-device .pem files, which certificateFiles=false turns off; enable certificateFiles");
        }
        if (!archive && !certificateFiles) {
            throw new DpsException("certificateFiles", "neither certificate files nor the"
                    + " archive would be written; enable one of them");
        }
        this.previousFirmware = b.previousFirmware;
        if (previousFirmware != null && !certificateFiles) {
            throw new DpsException("certificateFiles", "a rollout (previousFirmware) writes"
                    + " dps-rollout.sh, which uploads the per-device .pem files that certificateFiles=false turns off;"
                    + " enable certificateFiles");
        }
        this.progressIntervalMillis = b.progressIntervalMillis;
        this.outputDirectory = Objects.requireNonNull(b.outputDirectory, "outputDirectory");
        this.noncePolicy = Objects.requireNonNull(b.noncePolicy, "noncePolicy");
        this.pemLayout = Objects.requireNonNull(b.pemLayout, "pemLayout");
        this.storage = Objects.requireNonNull(b.storage, "storage");
        if (threads < 1) {
            throw new DpsException("threads", threads + " is not a thread count; expected 1 or more");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The firmware whose certificates are made: its ELF, or its .bin and .map. */
    public FirmwareFiles firmware() {
        return firmware;
    }

    /** The UDS source of a devices-file device by its final registration ID. */
    public Function<String, UdsSource> udsLookup() {
        return udsLookup;
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
    public PreviousFirmware previousFirmware() {
        return previousFirmware;
    }

    /**
     * Builds a {@link BatchRequest}; defaults: nonce DEVKIT, PEM layout ONE_LINE, whole fleet,
     * one thread, certificate files and no archive, progress every 5 s.
     */
    public static final class Builder extends DevicesRequest.Builder<Builder> {
        private FirmwareFiles firmware;
        private Function<String, UdsSource> udsLookup = id -> null;
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
        private PreviousFirmware previousFirmware;

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        public Builder firmware(FirmwareFiles firmware) {
            this.firmware = firmware;
            return this;
        }

        public Builder device(DeviceSpec device) {
            return add(device);
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
            this.udsLookup = Objects.requireNonNull(udsLookup, "udsLookup");
            return file(file, defaultFirmwareVersion);
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
        public Builder previousFirmware(PreviousFirmware previous) {
            this.previousFirmware = previous;
            return this;
        }

        public BatchRequest build() {
            return new BatchRequest(this);
        }
    }
}
