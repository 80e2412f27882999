// Writes a test fleet: devices.csv (header, BOM, comments, CRLF lines, explicit and MAC-derived IDs)
// and uds.csv. UDS values are SHA-256 of a counter: test values, deterministic.
import java.security.MessageDigest

class Fleet {

    static String uds(int i) {
        MessageDigest.getInstance('SHA-256').digest("fleet-device-${i}".getBytes('US-ASCII')).encodeHex().toString()
    }

    static String mac(int i) {
        String.format(Locale.ROOT, 'c89346%06x', i)
    }

    /** Device i's registration ID: explicit for every tenth device, else derived from its MAC (version 2.0.0). */
    static String id(int i) {
        i % 10 == 0 ? "fleet-device-${i}" : "az-${mac(i)}v2v0v0"
    }

    static void write(File dir, int n) {
        dir.mkdirs()
        def devices = new StringBuilder('\uFEFFregistrationId,macAddress,firmwareVersion\n')
        devices << '# test fleet for the invoker ITs\n\n'
        def secrets = new StringBuilder('registrationId,uds\n# test values\n')
        for (int i = 0; i < n; i++) {
            String eol = i % 7 == 0 ? '\r\n' : '\n'
            if (i % 10 == 0) {
                devices << "${id(i)},,${eol}"
            } else {
                String spelled = i % 3 == 0 ? mac(i).toUpperCase(Locale.ROOT).replaceAll(/(..)(?!$)/, '$1:') : mac(i)
                devices << ",${spelled},2.0.0${eol}"
            }
            secrets << "${id(i)},${uds(i)}\n"
        }
        new File(dir, 'devices.csv').setText(devices.toString(), 'UTF-8')
        new File(dir, 'uds.csv').setText(secrets.toString(), 'US-ASCII')
    }
}
