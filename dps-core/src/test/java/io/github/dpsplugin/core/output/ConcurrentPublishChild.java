package io.github.dpsplugin.core.output;

import java.nio.file.Path;

/**
 * The other JVM of {@link ConcurrentPublishTest}: stages run "C" into {@code args[0]} and, at the
 * {@code args[1]}-th file moved while publishing, prints {@code BLOCKED} and waits to be killed.
 */
public final class ConcurrentPublishChild {

    public static void main(String[] args) {
        ConcurrentPublishTest.Pausing pausing = new ConcurrentPublishTest.Pausing(Integer.parseInt(args[1]));
        Thread announce = new Thread(() -> {
            try {
                pausing.paused.await();
            } catch (InterruptedException e) {
                return;
            }
            System.out.println("BLOCKED");
            System.out.flush();
        });
        announce.setDaemon(true);
        announce.start();
        try (StagedOutput o = StagedOutput.open(Path.of(args[0]), pausing, w -> { })) {
            ConcurrentPublishTest.stage(o, "C");
            o.publish();
        }
        System.out.println("FINISHED");
    }
}
