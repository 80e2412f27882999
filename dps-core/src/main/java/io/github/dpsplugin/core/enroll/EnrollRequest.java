package io.github.dpsplugin.core.enroll;

import io.github.dpsplugin.core.common.DpsException;
import java.nio.file.Path;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * What one {@code enroll} run does: the output of {@code generate} to read, the DPS to write to,
 * the rollout step, and whether to only print the plan. Immutable.
 */
public final class EnrollRequest {

    /** Bulk operations in flight at once: DPS's quota, not the client, bounds a fleet's time. */
    public static final int DEFAULT_CONCURRENCY = 4;

    private final Path outputDirectory;
    private final ConnectionString connection;
    private final RolloutStep step;
    private final boolean dryRun;
    private final int concurrency;
    private final SSLContext ssl;
    private final Retry retry;
    /** Tests: the run stops (as if killed) after this many bulk writes; negative: never. */
    private final int stopAfterWrites;

    private EnrollRequest(Builder b) {
        this.outputDirectory = Objects.requireNonNull(b.outputDirectory, "outputDirectory");
        this.connection = Objects.requireNonNull(b.connection, "connection");
        this.step = b.step;
        this.dryRun = b.dryRun;
        this.concurrency = b.concurrency;
        this.ssl = b.ssl;
        this.retry = b.retry;
        this.stopAfterWrites = b.stopAfterWrites;
        if (concurrency < 1 || concurrency > 64) {
            throw new DpsException("concurrency", concurrency + " concurrent DPS calls; use 1 to 64");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Path outputDirectory() {
        return outputDirectory;
    }

    public ConnectionString connection() {
        return connection;
    }

    public RolloutStep step() {
        return step;
    }

    public boolean dryRun() {
        return dryRun;
    }

    public int concurrency() {
        return concurrency;
    }

    /** The TLS context, or {@code null} for the JVM's default (which honours {@code javax.net.ssl.trustStore}). */
    public SSLContext ssl() {
        return ssl;
    }

    public Retry retry() {
        return retry;
    }

    int stopAfterWrites() {
        return stopAfterWrites;
    }

    /** Builds an {@link EnrollRequest}. */
    public static final class Builder {
        private Path outputDirectory;
        private ConnectionString connection;
        private RolloutStep step = RolloutStep.NONE;
        private boolean dryRun;
        private int concurrency = DEFAULT_CONCURRENCY;
        private SSLContext ssl;
        private Retry retry = Retry.standard();
        private int stopAfterWrites = -1;

        /** The directory generate wrote: the manifest and the certificates (files or archive). */
        public Builder outputDirectory(Path dir) {
            this.outputDirectory = dir;
            return this;
        }

        public Builder connection(ConnectionString c) {
            this.connection = c;
            return this;
        }

        public Builder step(RolloutStep s) {
            this.step = Objects.requireNonNull(s, "step");
            return this;
        }

        public Builder dryRun(boolean d) {
            this.dryRun = d;
            return this;
        }

        public Builder concurrency(int n) {
            this.concurrency = n;
            return this;
        }

        public Builder ssl(SSLContext c) {
            this.ssl = c;
            return this;
        }

        public Builder retry(Retry r) {
            this.retry = Objects.requireNonNull(r, "retry");
            return this;
        }

        Builder stopAfterWrites(int n) {
            this.stopAfterWrites = n;
            return this;
        }

        public EnrollRequest build() {
            return new EnrollRequest(this);
        }
    }
}
