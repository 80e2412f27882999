package io.github.dpsplugin.core.fleet;

import io.github.dpsplugin.core.output.StagedOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The child JVM of {@link KilledRunTest}: runs a fleet into {@code args[0]} and, at the
 * {@code args[2]}-th file created ({@code generate}) or moved ({@code publish}), prints
 * {@code BLOCKED} and waits to be killed.
 */
public final class KilledRunChild {

    public static void main(String[] args) {
        Path out = Path.of(args[0]);
        boolean atPublish = args[1].equals("publish");
        int at = Integer.parseInt(args[2]);
        AtomicInteger count = new AtomicInteger();
        StagedOutput.Storage storage = new StagedOutput.Storage() {
            @Override
            public OutputStream create(Path file) throws IOException {
                if (!atPublish && count.incrementAndGet() == at) {
                    block();
                }
                return FILES.create(file);
            }

            @Override
            public void move(Path source, Path target) throws IOException {
                if (atPublish && count.incrementAndGet() == at) {
                    block();
                }
                FILES.move(source, target);
            }
        };
        BatchGenerator.run(KilledRunTest.thisRun(out).storage(storage).build(), BatchListener.NONE);
        System.out.println("FINISHED");
    }

    private static void block() {
        System.out.println("BLOCKED");
        System.out.flush();
        while (true) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                // wait for the kill
            }
        }
    }
}
