package io.github.dpsplugin.core.verify;

import io.github.dpsplugin.core.common.OrderedWorkers;
import io.github.dpsplugin.core.id.RegistrationId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Certificates as they are read, checked on worker threads in chunks, their reports handed to the
 * sink on the reading thread in the order the certificates were read: the reports, the log and the
 * coverage do not depend on the number of threads. A bounded number of chunks is in flight, so a
 * fleet's certificates are never all held.
 */
final class OrderedChecks implements AutoCloseable {

    /** Certificates per task: a wake-up per certificate would cost more than the waiting saves. */
    static final int CHUNK = 32;
    /** Chunks in flight per thread: keeps the threads busy while the reader waits for the oldest. */
    static final int CHUNKS_PER_THREAD = 4;

    /** One certificate as read: its file's name, its bytes, and the ID it must carry ({@code null}: none). */
    record Certificate(String label, byte[] content, RegistrationId expected) {
    }

    /** A certificate's report, or the error that ended the run at it. */
    private record Checked(CertificateReport report, RuntimeException error) {
    }

    private final OrderedWorkers<Certificate, Checked[]> workers;
    private final Consumer<CertificateReport> sink;
    private List<Certificate> chunk = new ArrayList<>(CHUNK);
    /** A check or the sink has thrown: that error is the run's, nothing more is checked. */
    private boolean failed;

    OrderedChecks(int threads, Function<Certificate, CertificateReport> check, Consumer<CertificateReport> sink) {
        this.workers = new OrderedWorkers<>(threads, threads * CHUNKS_PER_THREAD, "dps-verify", c -> {
            // the reports before an error still go out first, as when one certificate is checked at a time
            List<Checked> checked = new ArrayList<>(c.size());
            for (Certificate certificate : c) {
                try {
                    checked.add(new Checked(check.apply(certificate), null));
                } catch (RuntimeException e) {
                    checked.add(new Checked(null, e));
                    break;
                }
            }
            return checked.toArray(new Checked[0]);
        });
        this.sink = sink;
    }

    /** Queues a certificate; reports of earlier chunks go to the sink when the window is full. */
    void add(Certificate c) {
        chunk.add(c);
        if (chunk.size() == CHUNK) {
            submit();
        }
    }

    /**
     * Checks what is queued and hands every report to the sink. After a read error, called before the
     * error is thrown, it gives the reports (or the error) of the certificates read before, as a run
     * that checks each certificate before reading the next would; after an error of a check or of
     * the sink, it does nothing.
     */
    void finish() {
        if (failed) {
            return;
        }
        if (!chunk.isEmpty()) {
            submit();
        }
        while (takeOne()) {
            // every chunk in flight, in order
        }
    }

    private void submit() {
        while (workers.full()) {
            takeOne();
        }
        workers.submit(chunk);
        chunk = new ArrayList<>(CHUNK);
    }

    private boolean takeOne() {
        OrderedWorkers.Pending<Certificate, Checked[]> p = workers.take();
        if (p == null) {
            return false;
        }
        try {
            for (Checked c : p.get()) {
                if (c.error() != null) {
                    throw c.error();
                }
                sink.accept(c.report());
            }
        } catch (RuntimeException | Error e) {
            failed = true;
            throw e;
        }
        return true;
    }

    /** Stops the workers and waits for them. */
    @Override
    public void close() {
        workers.close();
    }
}
