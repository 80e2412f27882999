package io.github.dpsplugin.core.verify;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.dice.UdsSource;
import io.github.dpsplugin.core.firmware.FirmwareFiles;
import io.github.dpsplugin.core.fleet.ListedDevices;
import io.github.dpsplugin.core.id.RegistrationId;
import io.github.dpsplugin.core.rollout.PreviousFirmware;
import io.github.dpsplugin.core.x509.NoncePolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * What one {@code verify} run checks: certificates (files, and/or those a manifest lists), the
 * firmware they must match (an ELF, or a .bin with its .map), and optionally the UDS, the
 * expected registration ID, the device's nonce policy and the devices the certificates must cover.
 * Immutable; validated when built.
 */
public final class VerifyRequest {

    private final FirmwareFiles firmware;
    private final List<Path> certificates;
    private final Path manifest;
    private final RegistrationId expectedRegistrationId;
    private final NoncePolicy noncePolicy;
    private final UdsSource uds;
    private final PreviousFirmware previousFirmware;
    private final Function<String, UdsSource> udsLookup;
    private final String udsLookupDescription;
    private final boolean currentOnly;
    private final ListedDevices devices;
    private final int threads;

    private VerifyRequest(Builder b) {
        this.devices = b.devices;
        this.threads = b.threads;
        this.udsLookup = b.udsLookup;
        this.udsLookupDescription = b.udsLookupDescription;
        this.currentOnly = b.currentOnly;
        this.firmware = b.firmware;
        this.certificates = Collections.unmodifiableList(new ArrayList<>(b.certificates));
        this.manifest = b.manifest;
        this.expectedRegistrationId = b.expectedRegistrationId;
        this.noncePolicy = b.noncePolicy;
        this.uds = b.uds;
        this.previousFirmware = b.previousFirmware;
        if (firmware == null) {
            throw new DpsException("firmwareBin", "no firmware to verify against; give firmwareElf (the linked .elf),"
                    + " or firmwareBin and firmwareMap");
        }
        if (certificates.isEmpty() && manifest == null) {
            throw new DpsException("certificate", "nothing to verify; give certificate (an alias certificate .pem) or"
                    + " manifest (the dps-manifest.json of a generate run)");
        }
        if (uds != null && udsLookup != null) {
            throw new DpsException("udsFile", "give either one device's UDS (with its certificate) or the fleet's UDS"
                    + " files, not both");
        }
        if (threads < 1) {
            throw new DpsException("threads", threads + " is not a thread count; expected 1 or more");
        }
        if (manifest != null && expectedRegistrationId != null) {
            throw new DpsException("registrationId", "a manifest names each device's registration ID; give"
                    + " registrationId only with certificate files");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The firmware the certificates must match: its ELF, or its .bin and .map. */
    public FirmwareFiles firmware() {
        return firmware;
    }

    public List<Path> certificates() {
        return certificates;
    }

    public Path manifest() {
        return manifest;
    }

    /** The registration ID the certificate files must carry, or {@code null}. */
    public RegistrationId expectedRegistrationId() {
        return expectedRegistrationId;
    }

    /** The device's nonce policy, or {@code null} to accept either. */
    public NoncePolicy noncePolicy() {
        return noncePolicy;
    }

    /** Where the UDS comes from, or {@code null} to verify without it. */
    public UdsSource uds() {
        return uds;
    }

    /**
     * The firmware the devices ran before this one, or {@code null}: with it a certificate of the
     * previous release is reported as such ({@link Cause#PREVIOUS_FIRMWARE}).
     */
    public PreviousFirmware previousFirmware() {
        return previousFirmware;
    }

    /**
     * The fleet's UDS by registration ID, or {@code null}: with it every certificate whose device it
     * knows is recomputed (a device it does not know returns {@code null} and is checked without).
     */
    public Function<String, UdsSource> udsLookup() {
        return udsLookup;
    }

    /** Where {@link #udsLookup()} reads (e.g. the UDS files' names), for the report; never a value. */
    public String udsLookupDescription() {
        return udsLookupDescription;
    }

    /** Whether a certificate of the previous firmware is a mismatch rather than its own status. */
    public boolean currentOnly() {
        return currentOnly;
    }

    /**
     * The devices the certificates must cover, or {@code null}: each needs a certificate among those
     * verified ({@link Status#MISSING} otherwise), and a certificate of a device not among them is
     * named ({@link Cause#NOT_LISTED}).
     */
    public ListedDevices devices() {
        return devices;
    }

    /** Threads checking certificates; the reports do not depend on it. */
    public int threads() {
        return threads;
    }

    /** Builds a {@link VerifyRequest}; the nonce policy defaults to {@link NoncePolicy#DEVKIT}, as on the device. */
    public static final class Builder {
        private FirmwareFiles firmware;
        private final List<Path> certificates = new ArrayList<>();
        private Path manifest;
        private RegistrationId expectedRegistrationId;
        private NoncePolicy noncePolicy = NoncePolicy.DEVKIT;
        private UdsSource uds;
        private PreviousFirmware previousFirmware;
        private Function<String, UdsSource> udsLookup;
        private String udsLookupDescription;
        private boolean currentOnly;
        private ListedDevices devices;
        private int threads = 1;

        /** Threads checking certificates (default 1); the reports and their order do not depend on it. */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /** The devices the certificates must cover; {@code null}: none. */
        public Builder devices(ListedDevices devices) {
            this.devices = devices;
            return this;
        }

        /**
         * The fleet's UDS by registration ID ({@code null} for a device it does not hold), and
         * {@code description}, where it reads, for the report (never a value).
         */
        public Builder udsLookup(Function<String, UdsSource> lookup, String description) {
            this.udsLookup = lookup;
            this.udsLookupDescription = description;
            return this;
        }

        /** True: a certificate of the previous firmware is a mismatch, not {@link Status#PREVIOUS_FIRMWARE}. */
        public Builder currentOnly(boolean currentOnly) {
            this.currentOnly = currentOnly;
            return this;
        }

        /** The previous firmware, to tell its certificates from those that match neither; {@code null}: none. */
        public Builder previousFirmware(PreviousFirmware previous) {
            this.previousFirmware = previous;
            return this;
        }

        public Builder firmware(FirmwareFiles firmware) {
            this.firmware = firmware;
            return this;
        }

        /** An alias certificate file, PEM or DER. */
        public Builder certificate(Path file) {
            certificates.add(Objects.requireNonNull(file, "certificate"));
            return this;
        }

        /** A {@code dps-manifest.json}: every alias certificate it lists is verified against its registration ID. */
        public Builder manifest(Path file) {
            this.manifest = file;
            return this;
        }

        public Builder expectedRegistrationId(RegistrationId id) {
            this.expectedRegistrationId = id;
            return this;
        }

        /** The device's nonce policy; {@code null} accepts either. */
        public Builder noncePolicy(NoncePolicy policy) {
            this.noncePolicy = policy;
            return this;
        }

        /** The UDS of the device the certificate(s) belong to; enables the byte-for-byte recomputation. */
        public Builder uds(UdsSource source) {
            this.uds = source;
            return this;
        }

        public VerifyRequest build() {
            return new VerifyRequest(this);
        }
    }
}
