package io.github.dpsplugin.core.enroll.standin;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Stand-ins by name, for invoker ITs whose setup script starts one and whose verify script, a
 * separate script run by the same class loader, inspects and stops it.
 */
public final class StandInRegistry {

    private static final Map<String, DpsStandIn> RUNNING = new HashMap<>();

    private StandInRegistry() {
    }

    /** Starts a stand-in under {@code name}, stopping one left under that name by a failed run. */
    public static synchronized DpsStandIn start(String name) {
        stop(name);
        DpsStandIn dps = DpsStandIn.start();
        RUNNING.put(name, dps);
        return dps;
    }

    public static synchronized Optional<DpsStandIn> get(String name) {
        return Optional.ofNullable(RUNNING.get(name));
    }

    public static synchronized void stop(String name) {
        DpsStandIn dps = RUNNING.remove(name);
        if (dps != null) {
            dps.close();
        }
    }
}
