// The bad-input catalogue: every input a user can get wrong, what the build must say, and
// the inputs that look wrong but must be accepted. One source for three things:
//   - setup.groovy of each catalogue-* IT writes one Maven module per POM case (pom.xml + input files);
//   - verify.groovy checks each case against the build log and the output directories;
//   - the tables of the troubleshooting guide (dps-maven-plugin/src/site/markdown/troubleshooting.md)
//     are rendered from it and must equal it (checkGuide).
//
// A failure case names the device (or null for run-level input such as the firmware), the parameter
// ("field") and an excerpt of the message that says what is expected. verify asserts that the
// module's failure message contains "device <device>" and "<field>: " and the excerpt, that no new
// file appeared in its output directory and that the previous run's output is untouched.
//
// POM cases run as the modules of one reactor with --fail-at-end: each module is its own failing
// build, at the cost of one Maven start for the whole family. Cases that need file permissions
// (mode 000 / 555) cannot fail for root, which ignores them: setup marks them SKIPPED, with a note.
import java.nio.file.Files
import java.nio.file.attribute.PosixFilePermissions

class Catalogue {

    // test values of the reference vectors (no real device's secret)
    static final String UDS_P01 = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'
    static final String UDS_P08 = '47671826535671daee64898c37347907516c398cf230d6365822be2c35c3479b'
    static final String UDS_P10 = '8e202302768C65300A1825CCD4043026eed165f80da024a151ec88d3818d9a95'

    static final String PREVIOUS_RUN = '{"previous": "run"}\n'
    static final String PLUGIN_GROUP = 'io.github.dpsplugin'

    /** Family (IT directory) → its heading in the troubleshooting guide, in the guide's order. */
    static final Map<String, String> FAMILIES = [
            'catalogue-firmware': 'Firmware image and link map',
            'catalogue-devices' : 'Devices, registration IDs, devices and UDS files, run parameters',
            'catalogue-uds'     : 'UDS sources: environment variables and settings.xml servers',
            'direct-catalogue'  : 'Direct invocation (no POM)',
    ]

    // ---- helpers for case definitions ----

    static String device(String id, String server) {
        "<devices><device><registrationId>${id}</registrationId><udsServerId>${server}</udsServerId></device></devices>"
    }

    static String envDevice(String id, String env) {
        "<devices><device><registrationId>${id}</registrationId><udsEnv>${env}</udsEnv></device></devices>"
    }

    static String macDevice(String mac, String version, String server) {
        "<devices><device><macAddress>${mac}</macAddress>" + (version ? "<firmwareVersion>${version}</firmwareVersion>" : '') +
                "<udsServerId>${server}</udsServerId></device></devices>"
    }

    static final String P01 = device('devkit-test-01', 'uds-p01')

    static String fwA() { new File(vectorsDir, 'firmware/fw-a.ino.map').getText('ISO-8859-1') }

    static File vectorsDir

    /** The fw-a map with the address on the line of {@code symbol} replaced. */
    static String withAddress(String text, String symbol, String address) {
        def m = text =~ /0x[0-9a-f]{8}(\s+${symbol} = \.)/
        assert m.find(): symbol
        text.substring(0, m.start()) + address + m.group(1) + text.substring(m.end())
    }

    static void writeMap(File dir, String text) { new File(dir, 'in.map').setText(text, 'ISO-8859-1') }

    /** Makes {@code f} unreadable/unwritable; false when that has no effect (root ignores permissions). */
    static boolean restrict(File f, String perms) {
        Files.setPosixFilePermissions(f.toPath(), PosixFilePermissions.fromString(perms))
        if (f.isDirectory()) {
            def probe = new File(f, '.probe')
            try {
                if (probe.createNewFile()) {
                    probe.delete()
                    return false
                }
            } catch (IOException ignored) {
            }
            return true
        }
        try {
            f.bytes
            return false
        } catch (IOException ignored) {
            return true
        }
    }

    static final String ROOT_NOTE = 'running as root: file permissions do not stop root, so this case cannot fail here; skipped'

    // ---- the cases ----

    static List<Map> cases(String family) {
        switch (family) {
            case 'catalogue-firmware': return firmware()
            case 'catalogue-devices': return devices()
            case 'catalogue-uds': return uds()
            case 'direct-catalogue': return direct()
        }
        throw new IllegalArgumentException(family)
    }

    static List<Map> firmware() {
        def inMap = '<firmwareMap>${project.basedir}/in.map</firmwareMap>'
        def inBin = '<firmwareBin>${project.basedir}/in.bin</firmwareBin>'
        [
            [id: 'map-empty', input: 'link map empty (0 bytes)', field: 'firmwareMap',
             config: P01 + inMap, files: { File d -> new File(d, 'in.map').bytes = new byte[0] },
             message: 'in.map is empty; expected the GNU ld map of the firmware link'],
            [id: 'map-binary-garbage', input: 'link map of random bytes', field: 'firmwareMap',
             config: P01 + inMap, files: { File d -> byte[] b = new byte[100000]; new Random(5).nextBytes(b); new File(d, 'in.map').bytes = b },
             message: 'in.map is binary (a NUL byte on line 4); expected the GNU ld text map (-Wl,-Map=<file>.map), not the .elf or .bin'],
            [id: 'map-is-the-elf', input: 'the `.elf` given as link map', field: 'firmwareMap',
             config: P01 + '<firmwareMap>${vectors}/firmware/fw-a.ino.elf</firmwareMap>',
             message: 'fw-a.ino.elf is binary (a NUL byte on line 1); expected the GNU ld text map (-Wl,-Map=<file>.map), not the .elf or .bin'],
            [id: 'map-no-flash', input: 'link map without the FLASH line (spec table)', field: 'firmwareMap',
             config: P01 + inMap, files: { File d -> writeMap(d, fwA().replace('FLASH            0x0800c000', 'ROM              0x0800c000')) },
             message: "has no FLASH region in its Memory Configuration table (a line 'FLASH  0x<origin> 0x<length> ...')"],
            [id: 'map-missing-symbol', input: 'link map without a `__start_riot_core` line (spec table)', field: 'firmwareMap',
             config: P01 + inMap, files: { File d -> writeMap(d, fwA().readLines().findAll { !it.contains('__start_riot_core = .') }.join('\n') + '\n') },
             message: 'missing symbol __start_riot_core (the linker script must place .riot_core and .riot_fw between these symbols)'],
            [id: 'map-truncated', input: 'link map truncated in the middle of a line', field: 'firmwareMap',
             config: P01 + inMap, files: { File d -> def t = fwA(); writeMap(d, t.substring(0, t.indexOf('__stop_riot_fw = .') + 9)) },
             message: 'missing symbol __stop_riot_fw (the linker script must place .riot_core and .riot_fw between these symbols); the file ends in the middle of a line: is it truncated?'],
            [id: 'map-stop-below-start', input: '`__stop_riot_core` below `__start_riot_core` (spec table)', field: 'firmwareMap',
             config: P01 + inMap, files: { File d -> writeMap(d, withAddress(fwA(), '__stop_riot_core', '0x0800d2f0')) },
             message: '__stop_riot_core (0x800d2f0) is below __start_riot_core (0x800d2f5); the riot_core range would be negative; expected __start_riot_core <= __stop_riot_core'],
            [id: 'map-start-below-flash', input: 'a range starting below the FLASH origin', field: 'firmwareMap',
             config: P01 + inMap, files: { File d -> writeMap(d, withAddress(fwA(), '__start_riot_core', '0x08000000')) },
             message: '__start_riot_core (0x8000000) is below the FLASH origin (0x800c000); the riot_core range is not in the flash image; expected addresses from the FLASH origin on'],
            [id: 'map-range-outside-bin', input: 'a range ending beyond the `.bin`', field: 'firmwareBin',
             config: P01 + inMap, files: { File d -> writeMap(d, withAddress(fwA(), '__stop_riot_fw', '0x0800f000')) },
             message: 'fw-a.ino.bin has 5816 bytes, but the riot_fw range [0x800d540, 0x800f000) covers image offsets [5440, 12288); expected an image that holds it: do the .bin and the .map come from the same link?'],
            [id: 'bin-map-other-link', input: '`.bin` and `.map` of different links (fw-a `.bin`, fw-b `.map`)', field: 'firmwareBin',
             config: P01 + '<firmwareBin>${vectors}/firmware/fw-a.ino.bin</firmwareBin><firmwareMap>${vectors}/firmware/fw-b.ino.map</firmwareMap>',
             message: 'the .bin (5816 bytes) and the .map (describing a 5920-byte image: FLASH origin 0x800c000 to 0x800d720, .text at 0x800c000 (0x1698 bytes), .data loaded at 0x800d698 (0x88 bytes)) come from different links: certificates computed from them would match neither firmware'],
            [id: 'previous-version-only', input: '`previousFirmwareVersion` without a previous firmware (rollout)', field: 'previousFirmwareVersion',
             config: P01 + '<previousFirmwareVersion>1.9.0</previousFirmwareVersion>',
             message: 'is given without a previous firmware; give previousRelease, or previousFirmwareBin and previousFirmwareMap (or previousFirmwareElf) of the firmware the devices run now'],
            [id: 'previous-map-missing', input: '`previousFirmwareBin` without `previousFirmwareMap` (rollout)', field: 'previousFirmwareMap',
             config: P01 + '<previousFirmwareBin>${vectors}/firmware/fw-a.ino.bin</previousFirmwareBin>',
             message: 'the previous firmware needs both its .bin and its .map (previousFirmwareBin and previousFirmwareMap), or its ELF (previousFirmwareElf)'],
            [id: 'previous-bin-map-other-link', input: 'previous `.bin` and `.map` of different links (rollout)', field: 'previousFirmwareBin',
             config: P01 + '<previousFirmwareBin>${vectors}/firmware/fw-a.ino.bin</previousFirmwareBin><previousFirmwareMap>${vectors}/firmware/fw-b.ino.map</previousFirmwareMap>',
             message: 'the .bin (5816 bytes) and the .map (describing a 5920-byte image'],
            [id: 'previous-release-missing', input: '`previousRelease` of a version whose firmware is not in any repository (rollout)', field: 'previousRelease',
             config: P01 + '<previousRelease>0.0.1</previousRelease>',
             message: 'cannot resolve com.example.catalogue:previous-release-missing:bin:0.0.1 and com.example.catalogue:previous-release-missing:map:0.0.1'],
            [id: 'previous-release-and-files', input: '`previousRelease` and the previous firmware\'s files both given (rollout)', field: 'previousRelease',
             config: P01 + '<previousRelease>1.3.7</previousRelease><previousFirmwareBin>${vectors}/firmware/fw-a.ino.bin</previousFirmwareBin><previousFirmwareMap>${vectors}/firmware/fw-a.ino.map</previousFirmwareMap>',
             message: "'1.3.7' is given with previousFirmwareBin/previousFirmwareMap/previousFirmwareElf; name the firmware the devices run now one way: a release of this project, or its files"],
            [id: 'map-core-7-bytes', input: 'riot_core of 7 bytes (spec table: shorter than 8)', field: 'firmwareMap',
             config: P01 + inMap, files: { File d -> writeMap(d, withAddress(fwA(), '__stop_riot_core', '0x0800d2fc')) },
             message: 'is 7 bytes; the device refuses to measure a RIoT core shorter than 8 bytes'],
            [id: 'map-line-too-long', input: 'link map with a 100 000-character line', field: 'firmwareMap',
             config: P01 + inMap, files: { File d -> writeMap(d, 'x' * 100000 + '\n' + fwA()) },
             message: 'line 1 is longer than 65536 characters; not a GNU ld map file'],
            [id: 'map-missing', input: 'link map that does not exist', field: 'firmwareMap',
             config: P01 + inMap,
             message: 'in.map does not exist; expected the GNU ld map of the firmware link'],
            [id: 'map-directory', input: 'link map path is a directory', field: 'firmwareMap',
             config: P01 + inMap, files: { File d -> new File(d, 'in.map').mkdirs() },
             message: 'in.map is a directory; expected the GNU ld .map file'],
            [id: 'bin-shorter-than-ranges', input: '`.bin` shorter than the measured ranges (spec table)', field: 'firmwareBin',
             config: P01 + inBin, files: { File d -> new File(d, 'in.bin').bytes = new File(vectorsDir, 'firmware/fw-a.ino.bin').bytes[0..<5500] as byte[] },
             message: 'in.bin has 5500 bytes, but the riot_fw range [0x800d540, 0x800d62c) covers image offsets [5440, 5676); expected an image that holds it'],
            [id: 'bin-empty', input: '`.bin` empty (0 bytes)', field: 'firmwareBin',
             config: P01 + inBin, files: { File d -> new File(d, 'in.bin').bytes = new byte[0] },
             message: 'in.bin has 0 bytes, but the riot_core range [0x800d2f5, 0x800d540) covers image offsets [4853, 5440); expected an image that holds it'],
            [id: 'bin-missing', input: '`.bin` that does not exist', field: 'firmwareBin',
             config: P01 + inBin,
             message: "in.bin does not exist; expected the firmware's raw flash image (.bin)"],
            [id: 'bin-directory', input: '`.bin` path is a directory', field: 'firmwareBin',
             config: P01 + inBin, files: { File d -> new File(d, 'in.bin').mkdirs() },
             message: 'in.bin is a directory; expected the firmware .bin file'],
            [id: 'bin-unreadable', input: '`.bin` not readable (mode 000)', field: 'firmwareBin', permissions: true,
             config: P01 + inBin,
             files: { File d -> def f = new File(d, 'in.bin'); f.bytes = new File(vectorsDir, 'firmware/fw-a.ino.bin').bytes; restrict(f, '---------') },
             message: 'in.bin is not readable (permission denied); expected a file this build may read'],
            // accepted
            [id: 'map-crlf', input: 'link map with CRLF line endings (spec table)', result: 'success',
             config: P01 + '<firmwareMap>${vectors}/firmware/fw-a-crlf.ino.map</firmwareMap>',
             outcome: 'accepted: the same certificate as with LF (vector P16)',
             check: { File d -> same(d, 'devkit-test-01', 'P16') }],
            [id: 'map-64-bit-addresses', input: 'link map with 16-digit addresses (spec table)', result: 'success',
             config: device('map64-device', 'uds-p08') + '<firmwareMap>${vectors}/firmware/fw-a-map64.ino.map</firmwareMap>',
             outcome: 'accepted: the same certificate (vector P15)',
             check: { File d -> same(d, 'map64-device', 'P15') }],
            [id: 'map-symbol-twice', input: 'link map with a symbol line twice (spec table)', result: 'success',
             config: P01 + '<firmwareBin>${vectors}/firmware/fw-b.ino.bin</firmwareBin><firmwareMap>${vectors}/firmware/fw-b-dupsym.ino.map</firmwareMap>',
             outcome: 'accepted with a warning: the last line counts (vector P17): `symbol __stop_riot_fw is at 0x800d694 on line 398 and at 0x800d684 on line 1007; the last line counts (as in the reference tool) and decides the measurement: check that this map belongs to this firmware\'s link`',
             check: { File d -> same(d, 'devkit-test-01', 'P17') }],
            [id: 'riot-fw-empty', input: 'empty riot_fw range (spec table)', result: 'success',
             config: device('empty-riot-fw', 'uds-p03') + '<firmwareBin>${vectors}/firmware/fw-c.ino.bin</firmwareBin><firmwareMap>${vectors}/firmware/fw-c-emptyfw.ino.map</firmwareMap>',
             outcome: 'accepted: FWID is SHA-256 of nothing (vector P18)',
             check: { File d -> same(d, 'empty-riot-fw', 'P18') }],
            [id: 'riot-core-8-bytes', input: 'riot_core of exactly 8 bytes', result: 'success',
             config: device('core-eight-bytes', 'uds-p05') + '<firmwareMap>${vectors}/firmware/fw-a-core8.ino.map</firmwareMap>',
             outcome: 'accepted (vector P19)',
             check: { File d -> same(d, 'core-eight-bytes', 'P19') }],
        ]
    }

    static String fleet(File d, String devices, String uds) {
        new File(d, 'devices.csv').setText(devices, 'UTF-8')
        if (uds != null) {
            new File(d, 'uds.csv').setText(uds, 'UTF-8')
        }
    }

    static final String DEVICES_FILE = '<devicesFile>${project.basedir}/devices.csv</devicesFile>'
    static final String UDS_FILE = '<udsFile>${project.basedir}/uds.csv</udsFile>'
    static final String ID_127 = 'devkit-' + 'x' * 120
    static final String ID_128 = 'devkit-' + 'y' * 121
    static final String ID_126 = 'devkit-max-length-registration-id-abcdefghijklmnopqrstuvwxyz0123456789-abcdefghijklmnopqrstuvwxyz0123456789-abcdefghijklmnopqr'

    static List<Map> devices() {
        [
            [id: 'regid-upper-case', input: 'registration ID with upper case', field: 'registrationId',
             device: "'Devkit-Test-01' (#1 of <devices>)", config: device('Devkit-Test-01', 'uds-p01'),
             message: "contains an upper-case letter at position 1 (DPS rejects upper-case IDs; use 'devkit-test-01'); allowed are lower-case a-z, 0-9, '-', '.', '_' and ':'"],
            [id: 'regid-spaces', input: 'registration ID with spaces', field: 'registrationId',
             device: "'devkit test 01' (#1 of <devices>)", config: device('devkit test 01', 'uds-p01'),
             message: "contains white space at position 7; allowed are lower-case a-z, 0-9, '-', '.', '_' and ':'"],
            [id: 'regid-bad-character', input: 'registration ID with `/`', field: 'registrationId',
             device: "'devkit/01' (#1 of <devices>)", config: device('devkit/01', 'uds-p01'),
             message: "contains the character '/' at position 7"],
            [id: 'regid-127-characters', input: 'registration ID of 127 characters (spec table)', field: 'registrationId',
             device: "'${ID_127}' (#1 of <devices>)", config: device(ID_127, 'uds-p01'),
             message: 'has 127 characters; the device cannot encode a common name of more than 126 (DPS documents 64 as the limit)'],
            [id: 'regid-empty', input: 'registration ID empty', field: 'registrationId',
             device: '#1 of <devices>', config: device('', 'uds-p01'),
             message: 'is not set; give registrationId, or macAddress and firmwareVersion'],
            [id: 'regid-duplicate', input: 'the same registration ID twice', field: 'registrationId',
             device: "'devkit-test-01' (#2 of <devices>)", config: '<devices><device><registrationId>devkit-test-01</registrationId><udsServerId>uds-p01</udsServerId></device>' +
                    '<device><registrationId>devkit-test-01</registrationId><udsServerId>uds-p08</udsServerId></device></devices>',
             message: "'devkit-test-01' is listed more than once (also device 'devkit-test-01' (#1 of <devices>)); each device needs its own registration ID"],
            [id: 'regid-duplicate-derived', input: 'an explicit ID equal to another device\'s derived one', field: 'registrationId',
             device: "'az-a0b1c2d3e4f5v1v3v7' (#2 of <devices>)", config: '<devices><device><registrationId>az-a0b1c2d3e4f5v1v3v7</registrationId><udsServerId>uds-p01</udsServerId></device>' +
                    '<device><macAddress>a0:b1:c2:d3:e4:f5</macAddress><firmwareVersion>1.3.7</firmwareVersion><udsServerId>uds-p08</udsServerId></device></devices>',
             message: 'is listed more than once'],
            [id: 'mac-five-bytes', input: 'MAC address of 5 bytes', field: 'macAddress',
             device: '#1 of <devices>', config: macDevice('a0:b1:c2:d3:e4', '1.3.7', 'uds-p08'),
             message: "'a0:b1:c2:d3:e4' is not a MAC address; expected 6 bytes in hex such as C8:93:46:4A:1B:2C, c8-93-46-4a-1b-2c or c893464a1b2c"],
            [id: 'mac-mixed-separators', input: 'MAC address with mixed separators (spec table)', field: 'macAddress',
             device: '#1 of <devices>', config: macDevice('a0:b1-c2:d3-e4:f5', '1.3.7', 'uds-p08'),
             message: "'a0:b1-c2:d3-e4:f5' is not a MAC address; expected 6 bytes in hex"],
            [id: 'mac-and-registration-id', input: 'both registrationId and macAddress', field: 'registrationId',
             device: "'devkit-test-01' (#1 of <devices>)", config: '<devices><device><registrationId>devkit-test-01</registrationId><macAddress>a0b1c2d3e4f5</macAddress><udsServerId>uds-p01</udsServerId></device></devices>',
             message: 'give either registrationId or macAddress (+ firmwareVersion), not both'],
            [id: 'mac-without-version', input: 'MAC address without firmware version', field: 'firmwareVersion',
             device: '#1 of <devices> (MAC a0:b1:c2:d3:e4:f5)', config: macDevice('a0b1c2d3e4f5', null, 'uds-p08'),
             message: 'is not set; a device given by macAddress needs the firmware version it reports (N.N.N) to derive its registration ID'],
            [id: 'version-two-parts', input: 'firmware version `1.3`', field: 'firmwareVersion',
             device: '#1 of <devices> (MAC a0:b1:c2:d3:e4:f5)', config: macDevice('a0b1c2d3e4f5', '1.3', 'uds-p08'),
             message: "'1.3' is not a version; expected N.N.N (digits and two dots, such as 2.0.0 or 10.0.12)"],
            [id: 'version-too-long', input: 'firmware version whose derived ID exceeds 31 characters', field: 'firmwareVersion',
             device: '#1 of <devices> (MAC a0:b1:c2:d3:e4:f5)', config: macDevice('a0b1c2d3e4f5', '123456789012.0.0', 'uds-p08'),
             message: "has 32 characters; the device formats it into a 32-byte buffer and would cut it to 31; expected a shorter version ('123456789012.0.0' makes the ID too long)"],
            [id: 'uds-in-pom', input: '`<uds>` written in the POM', field: 'uds',
             device: '#1 of <devices>', config: "<devices><device><registrationId>devkit-test-01</registrationId><uds>${UDS_P01}</uds></device></devices>",
             message: 'is refused: a UDS written in a POM or on the command line ends up in version control, shell history and build logs'],
            [id: 'uds-server-and-env', input: 'both udsServerId and udsEnv', field: 'udsServerId',
             device: '#1 of <devices>', config: '<devices><device><registrationId>devkit-test-01</registrationId><udsServerId>uds-p01</udsServerId><udsEnv>HOME</udsEnv></device></devices>',
             message: 'give either udsServerId or udsEnv, not both'],
            [id: 'uds-no-source', input: 'device without udsServerId or udsEnv', field: 'udsServerId',
             device: "'devkit-test-01' (#1 of <devices>)", config: '<devices><device><registrationId>devkit-test-01</registrationId></device></devices>',
             message: 'no UDS source; give udsServerId (a settings.xml server whose password is the UDS) or udsEnv'],
            [id: 'devfile-missing-column', input: 'devices file line with a column missing', field: 'devicesFile',
             device: 'devices.csv:3', config: DEVICES_FILE + UDS_FILE,
             files: { File d -> fleet(d, 'registrationId,macAddress,firmwareVersion\nline1-device-001,,\nline1-device-002,\n', "line1-device-001,${UDS_P01}\nline1-device-002,${UDS_P08}\n") },
             message: 'has 2 fields where the header has 3 (registrationId,macAddress,firmwareVersion); expected one value per column'],
            [id: 'devfile-is-uds-file', input: 'the UDS file given as devices file', field: 'devicesFile',
             config: DEVICES_FILE + UDS_FILE,
             files: { File d -> fleet(d, "registrationId,uds\nline1-device-001,${UDS_P01}\n", "line1-device-001,${UDS_P01}\n") },
             message: "devices.csv:1: unknown column 'uds' in the header; expected registrationId, macAddress, firmwareVersion"],
            [id: 'devfile-empty', input: 'devices file empty', field: 'devicesFile',
             config: DEVICES_FILE + UDS_FILE, files: { File d -> fleet(d, '', '') },
             message: "devices.csv is empty; expected a header line such as 'registrationId' or 'macAddress,firmwareVersion'"],
            [id: 'devfile-missing', input: 'devices file that does not exist', field: 'devicesFile',
             config: DEVICES_FILE + UDS_FILE, files: { File d -> new File(d, 'uds.csv').text = '' },
             message: 'devices.csv does not exist; expected a CSV file with a header line'],
            [id: 'devfile-without-uds-file', input: 'devices file without a UDS file', field: 'udsFile',
             config: DEVICES_FILE, files: { File d -> fleet(d, 'registrationId\nline1-device-001\n', null) },
             message: 'a devicesFile needs the UDS of its devices: give udsFile (or udsFileEnv / udsFileServerId naming it), a CSV of registrationId,uds lines'],
            [id: 'devfile-device-not-in-uds-file', input: 'device missing from the UDS file', field: 'udsFile',
             device: "'line1-device-002' (devices.csv:3)", config: DEVICES_FILE + UDS_FILE,
             files: { File d -> fleet(d, 'registrationId\nline1-device-001\nline1-device-002\n', "line1-device-001,${UDS_P01}\n") },
             message: 'has no line for this device; every device of the devices file needs a line in the UDS files, by its registrationId, or by its macAddress when its ID is derived from it (make one with generate-uds)'],
            [id: 'devfile-regid-128-characters', input: 'devices file with a 128-character ID (spec table)', field: 'registrationId',
             device: "'${ID_128}' (devices.csv:2)", config: DEVICES_FILE + UDS_FILE,
             files: { File d -> fleet(d, "registrationId\n${ID_128}\n", "${ID_128},${UDS_P01}\n") },
             message: 'has 128 characters; the device cannot encode a common name of more than 126'],
            [id: 'devfile-duplicate-ids', input: 'devices file listing an ID twice', field: 'registrationId',
             device: "'line1-device-001' (devices.csv:3)", config: DEVICES_FILE + UDS_FILE,
             files: { File d -> fleet(d, 'registrationId\nline1-device-001\nline1-device-001\n', "line1-device-001,${UDS_P01}\n") },
             message: "'line1-device-001' is listed more than once (also device 'line1-device-001' (devices.csv:2))"],
            [id: 'udsfile-bad-uds', input: 'UDS file with a 63-character UDS', field: 'udsFile',
             config: DEVICES_FILE + UDS_FILE,
             files: { File d -> fleet(d, 'registrationId\nline1-device-001\n', "registrationId,uds\nline1-device-001,${UDS_P01.substring(1)}\n") },
             message: 'uds.csv:2: uds column: has 63 characters; expected exactly 64 hexadecimal characters (32 bytes)'],
            [id: 'udsfile-swapped-columns', input: 'UDS file with its columns swapped', field: 'udsFile',
             config: DEVICES_FILE + UDS_FILE,
             files: { File d -> fleet(d, 'registrationId\nline1-device-001\n', "${UDS_P01},line1-device-001\n") },
             message: 'uds.csv:1: uds column: character at position 1 is not a hexadecimal digit; expected exactly 64 characters 0-9, a-f or A-F (32 bytes) (the first column looks like a UDS: are the columns swapped? expected registrationId,uds)'],
            [id: 'udsfile-duplicate-id', input: 'UDS file listing an ID twice', field: 'udsFile',
             config: DEVICES_FILE + UDS_FILE,
             files: { File d -> fleet(d, 'registrationId\nline1-device-001\n', "line1-device-001,${UDS_P01}\nline1-device-001,${UDS_P08}\n") },
             message: 'uds.csv:2: the registrationId of this line is already on line 1; expected one line per device'],
            [id: 'udsfile-duplicate-mac', input: 'UDS file with two lines for one MAC (under two versions)', field: 'udsFile',
             config: DEVICES_FILE + UDS_FILE,
             files: { File d -> fleet(d, 'macAddress,firmwareVersion\na0b1c2d3e4f5,2.0.0\n', "registrationId,uds\naz-a0b1c2d3e4f5v1v3v7,${UDS_P01}\naz-a0b1c2d3e4f5v2v0v0,${UDS_P08}\n") },
             message: 'uds.csv:3: the device with MAC address a0:b1:c2:d3:e4:f5 is already on uds.csv:2; expected one line per device'],
            [id: 'udsfile-device-in-two-files', input: 'a device in two UDS files', field: 'udsFile',
             config: DEVICES_FILE + '<udsFiles><udsFile>${project.basedir}/uds.csv</udsFile><udsFile>${project.basedir}/uds-added.csv</udsFile></udsFiles>',
             files: { File d ->
                 fleet(d, 'registrationId\nline1-device-001\n', "line1-device-001,${UDS_P01}\n")
                 new File(d, 'uds-added.csv').setText("registrationId,macAddress,uds\nline1-device-001,,${UDS_P08}\n", 'UTF-8')
             },
             message: 'uds-added.csv:2: the registrationId of this line is also on uds.csv:1; expected each device in one UDS file'],
            [id: 'udsfile-missing', input: 'UDS file that does not exist', field: 'udsFile',
             config: DEVICES_FILE + UDS_FILE, files: { File d -> fleet(d, 'registrationId\nline1-device-001\n', null) },
             message: 'uds.csv does not exist; expected a CSV file of registrationId,uds lines'],
            [id: 'udsfile-two-sources', input: 'both udsFile and udsFileEnv', field: 'udsFile',
             config: DEVICES_FILE + UDS_FILE + '<udsFileEnv>HOME</udsFileEnv>',
             files: { File d -> fleet(d, 'registrationId\nline1-device-001\n', "line1-device-001,${UDS_P01}\n") },
             message: 'give only one of udsFile, udsFileEnv and udsFileServerId'],
            [id: 'shard-0-of-2', input: 'shard `0/2`', field: 'shard', config: P01 + '<shard>0/2</shard>',
             message: "'0/2' is not a shard; expected i/n with 1 <= i <= n, such as 1/4"],
            [id: 'shard-3-of-2', input: 'shard `3/2`', field: 'shard', config: P01 + '<shard>3/2</shard>',
             message: "'3/2' is not a shard; expected i/n with 1 <= i <= n, such as 1/4"],
            [id: 'shard-without-devices', input: 'shard `2/2` of a one-device run', field: 'devices', config: P01 + '<shard>2/2</shard>',
             message: 'shard 2/2 holds no device; the fleet has fewer devices than shards'],
            [id: 'nonce-unknown', input: 'nonce `random`', field: 'nonce', config: P01 + '<nonce>random</nonce>',
             message: "'random' is not a nonce policy; expected devkit (what DevKit firmware computes) or rfc6979"],
            [id: 'threads-0', input: 'threads `0`', field: 'threads', config: P01 + '<threads>0</threads>',
             message: '0 is not a thread count; expected 1 or more'],
            [id: 'pem-layout-unknown', input: 'pemLayout `pkcs`', field: 'pemLayout', config: P01 + '<pemLayout>pkcs</pemLayout>',
             message: "'pkcs' is not a PEM layout; expected one-line or rfc7468"],
            [id: 'nothing-to-write', input: 'certificateFiles and archive both off', field: 'certificateFiles',
             config: P01 + '<certificateFiles>false</certificateFiles><archive>false</archive>',
             message: 'neither certificate files nor the archive would be written; enable one of them'],
            [id: 'outdir-is-a-file', input: 'output directory is a file', field: 'outputDirectory',
             config: P01 + '<outputDirectory>${project.basedir}/target/dps-file</outputDirectory>',
             files: { File d -> new File(d, 'target').mkdirs(); new File(d, 'target/dps-file').text = PREVIOUS_RUN },
             extraOutputs: ['dps-file'],
             message: 'dps-file exists and is not a directory; expected a directory for the certificates (it is created if missing)'],
            [id: 'outdir-below-a-file', input: 'output directory below a file', field: 'outputDirectory',
             config: P01 + '<outputDirectory>${project.basedir}/target/dps-file/certs</outputDirectory>',
             files: { File d -> new File(d, 'target').mkdirs(); new File(d, 'target/dps-file').text = PREVIOUS_RUN },
             extraOutputs: ['dps-file'],
             message: 'dps-file is a file; expected a directory (or a path whose existing parts are directories)'],
            [id: 'outdir-unwritable', input: 'output directory not writable (mode 555)', field: 'outputDirectory', permissions: true,
             config: P01 + '<outputDirectory>${project.basedir}/target/dps-ro</outputDirectory>',
             // empty, so that a non-root user's next clean can delete it
             files: { File d -> def ro = new File(d, 'target/dps-ro'); ro.mkdirs(); restrict(ro, 'r-xr-xr-x') },
             extraOutputs: ['dps-ro'],
             message: 'dps-ro (permission denied); expected a directory this build may create files in'],
            [id: 'outdir-dangling-link', input: 'output directory is a dangling symbolic link', field: 'outputDirectory',
             config: P01 + '<outputDirectory>${project.basedir}/target/dps-link</outputDirectory>',
             files: { File d -> new File(d, 'target').mkdirs(); Files.createSymbolicLink(new File(d, 'target/dps-link').toPath(), new File(d, 'target/gone').toPath()) },
             extraOutputs: ['dps-link'],
             message: 'dps-link is a dangling symbolic link to '],
            [id: 'uds-shared-pom', input: 'one UDS for two devices (the same `udsServerId`)', field: 'uds',
             device: "'devkit-test-02' (#2 of <devices>)", config: P01.replace('</devices>', '') + '<device><registrationId>devkit-test-02</registrationId><udsServerId>uds-p01</udsServerId></device></devices>',
             message: "is the same as the UDS of device 'devkit-test-01' (#1 of <devices>); each device has a UDS of its own (two devices with one UDS get the same DeviceID key)"],
            [id: 'udsfile-shared-uds', input: 'UDS file giving two devices the same UDS', field: 'uds',
             device: "'line1-device-002' (devices.csv:3)", config: DEVICES_FILE + UDS_FILE,
             files: { File d -> fleet(d, 'registrationId\nline1-device-001\nline1-device-002\n', "line1-device-001,${UDS_P01}\nline1-device-002,${UDS_P01}\n") },
             message: "is the same as the UDS of device 'line1-device-001' (devices.csv:2); each device has a UDS of its own"],
            [id: 'regid-option-like', input: 'registration ID starting with `-` (`--help`)', field: 'registrationId',
             device: "'--help' (#1 of <devices>)", config: device('--help', 'uds-p01'),
             message: "'--help' starts with '-'; expected a letter or digit at the start and at the end (DPS refuses the others there)"],
            [id: 'regid-ends-with-dot', input: 'registration ID ending with `.`, `_`, `:` or `-`', field: 'registrationId',
             device: "'devkit-01.' (#1 of <devices>)", config: device('devkit-01.', 'uds-p01'),
             message: "'devkit-01.' ends with '.'; expected a letter or digit at the start and at the end (DPS refuses the others there)"],
            [id: 'dps-name-invalid', input: '`dpsName` against Azure\'s naming rules (`-my_dps`)', field: 'dpsName',
             config: P01 + '<enrollmentScript>true</enrollmentScript><dpsName>-my_dps</dpsName>',
             message: "'-my_dps' is not a DPS name; Azure allows 3 to 64 letters, digits and hyphens, starting and ending with a letter or digit"],
            [id: 'resource-group-invalid', input: '`resourceGroup` ending with a period', field: 'resourceGroup',
             config: P01 + '<enrollmentScript>true</enrollmentScript><resourceGroup>my-rg.</resourceGroup>',
             message: "'my-rg.' is not a resource group name; Azure allows 1 to 90 letters, digits, underscores, parentheses, hyphens and periods, not ending with a period"],
            // accepted
            [id: 'mac-spellings', input: 'MAC with colons and upper case, or dots; version `10.0.12` (spec table)', result: 'success',
             config: P01.replace('</devices>', '') + '<device><macAddress>A0:B1:C2:D3:E4:F5</macAddress><firmwareVersion>1.3.7</firmwareVersion><udsServerId>uds-p08</udsServerId></device>' +
                    '<device><macAddress>a0b1.c2d3.e4f5</macAddress><firmwareVersion>10.0.12</firmwareVersion><udsServerId>uds-p08</udsServerId></device></devices>' +
                    '<allowSharedUds>true</allowSharedUds>',
             outcome: 'accepted: normalised to 12 lower-case hex digits (vectors P08, P11)',
             check: { File d -> same(d, 'az-a0b1c2d3e4f5v1v3v7', 'P08'); same(d, 'az-a0b1c2d3e4f5v10v0v12', 'P11') }],
            [id: 'mac-dashes', input: 'MAC with dashes', result: 'success',
             config: macDevice('a0-b1-c2-d3-e4-f5', '1.3.7', 'uds-p08'),
             outcome: 'accepted (vector P08)', check: { File d -> same(d, 'az-a0b1c2d3e4f5v1v3v7', 'P08') }],
            [id: 'regid-126-characters', input: 'registration ID of 65 to 126 characters', result: 'success',
             config: device(ID_126, 'uds-p10') + '<firmwareBin>${vectors}/firmware/fw-b.ino.bin</firmwareBin><firmwareMap>${vectors}/firmware/fw-b.ino.map</firmwareMap>',
             outcome: 'accepted with a warning: `registrationId has 126 characters; the device can encode it, but DPS documents 64 as the limit for X.509 registration IDs and may refuse it` (vector P13)',
             check: { File d -> same(d, ID_126, 'P13') }],
            [id: 'devfile-bom', input: 'devices file with a UTF-8 byte order mark', result: 'success',
             config: DEVICES_FILE + UDS_FILE + '<firmwareVersion>1.3.7</firmwareVersion>',
             files: { File d -> fleet(d, '\uFEFFregistrationId,macAddress\n# comment\ndevkit-test-01,\n,A0:B1:C2:D3:E4:F5\n', "\uFEFFregistrationId,uds\ndevkit-test-01,${UDS_P01}\naz-a0b1c2d3e4f5v1v3v7,${UDS_P08}\n") },
             outcome: 'accepted (vectors P01, P08)',
             check: { File d -> same(d, 'devkit-test-01', 'P01'); same(d, 'az-a0b1c2d3e4f5v1v3v7', 'P08') }],
            [id: 'udsfile-world-readable', input: 'UDS file readable by group or others (mode 644)', result: 'success',
             config: DEVICES_FILE + UDS_FILE,
             files: { File d -> fleet(d, 'registrationId\ndevkit-test-01\n', "registrationId,uds\ndevkit-test-01,${UDS_P01}\n"); Files.setPosixFilePermissions(new File(d, 'uds.csv').toPath(), PosixFilePermissions.fromString('rw-r--r--')) },
             outcome: 'accepted with a warning: `holds UDS values and can be read by every user of this machine (rw-r--r--); allow only its owner: chmod 600`',
             check: { File d -> same(d, 'devkit-test-01', 'P01') }],
            [id: 'devfile-crlf', input: 'devices and UDS files with CRLF line endings', result: 'success',
             config: DEVICES_FILE + UDS_FILE + '<firmwareVersion>1.3.7</firmwareVersion>',
             files: { File d -> fleet(d, 'registrationId,macAddress\r\n# comment\r\n\r\ndevkit-test-01,\r\n,A0:B1:C2:D3:E4:F5\r\n', "registrationId,uds\r\ndevkit-test-01,${UDS_P01}\r\naz-a0b1c2d3e4f5v1v3v7,${UDS_P08}\r\n") },
             outcome: 'accepted (vectors P01, P08)',
             check: { File d -> same(d, 'devkit-test-01', 'P01'); same(d, 'az-a0b1c2d3e4f5v1v3v7', 'P08') }],
            [id: 'devfile-cr-only', input: 'devices file with CR-only line breaks (old Mac)', field: 'devicesFile',
             config: DEVICES_FILE + UDS_FILE,
             files: { File d -> fleet(d, 'registrationId\rdevkit-test-01\r', "devkit-test-01,${UDS_P01}\n") },
             message: 'devices.csv:1: line breaks are CR only; expected LF or CRLF line endings'],
        ]
    }

    // UDS values of the environment variables in catalogue-uds/invoker.properties
    static List<Map> uds() {
        [
            [id: 'uds-env-whitespace', input: 'UDS with a space in it', field: 'uds', device: "'devkit-test-01' (#1 of <devices>)",
             config: envDevice('devkit-test-01', 'DPS_IT_UDS_SPACE'),
             message: 'environment variable DPS_IT_UDS_SPACE does not hold a valid UDS: contains whitespace or a separator at position 33; expected exactly 64 hexadecimal characters (32 bytes) with no separators'],
            [id: 'uds-env-0x-prefix', input: 'UDS with a `0x` prefix', field: 'uds', device: "'devkit-test-01' (#1 of <devices>)",
             config: envDevice('devkit-test-01', 'DPS_IT_UDS_0X'),
             message: 'starts with a 0x prefix; expected exactly 64 hexadecimal characters (32 bytes) without prefix'],
            [id: 'uds-env-63-characters', input: 'UDS of 63 characters (spec table: wrong length)', field: 'uds', device: "'devkit-test-01' (#1 of <devices>)",
             config: envDevice('devkit-test-01', 'DPS_IT_UDS_63'),
             message: 'has 63 characters; expected exactly 64 hexadecimal characters (32 bytes)'],
            [id: 'uds-env-65-characters', input: 'UDS of 65 characters', field: 'uds', device: "'devkit-test-01' (#1 of <devices>)",
             config: envDevice('devkit-test-01', 'DPS_IT_UDS_65'),
             message: 'has 65 characters; expected exactly 64 hexadecimal characters (32 bytes)'],
            [id: 'uds-env-non-hex', input: 'UDS with a non-hex character (spec table)', field: 'uds', device: "'devkit-test-01' (#1 of <devices>)",
             config: envDevice('devkit-test-01', 'DPS_IT_UDS_G'),
             message: 'character at position 10 is not a hexadecimal digit; expected exactly 64 characters 0-9, a-f or A-F (32 bytes)'],
            [id: 'uds-env-non-ascii', input: 'UDS ending in a non-ASCII letter (`é`)', field: 'uds', device: "'devkit-test-01' (#1 of <devices>)",
             config: envDevice('devkit-test-01', 'DPS_IT_UDS_E_ACUTE'),
             message: 'environment variable DPS_IT_UDS_E_ACUTE does not hold a valid UDS: character at position 64 is not a hexadecimal digit'],
            [id: 'uds-env-unset', input: 'udsEnv naming an unset variable', field: 'udsEnv', device: "'devkit-test-01' (#1 of <devices>)",
             config: envDevice('devkit-test-01', 'DPS_IT_NOT_SET'),
             message: 'environment variable DPS_IT_NOT_SET is not set'],
            [id: 'uds-env-empty', input: 'UDS empty (spec table)', field: 'udsEnv', device: "'devkit-test-01' (#1 of <devices>)",
             config: envDevice('devkit-test-01', 'DPS_IT_UDS_EMPTY'),
             message: 'environment variable DPS_IT_UDS_EMPTY is empty'],
            [id: 'uds-server-missing', input: 'settings server missing', field: 'udsServerId', device: "'devkit-test-01' (#1 of <devices>)",
             config: device('devkit-test-01', 'no-such-server'),
             message: "settings.xml has no <server> with id 'no-such-server'; add one whose <password> is the device's UDS"],
            [id: 'uds-server-no-password', input: 'settings server without password', field: 'udsServerId', device: "'devkit-test-01' (#1 of <devices>)",
             config: device('devkit-test-01', 'uds-no-password'),
             message: "settings.xml server 'uds-no-password' has no <password>; its password must be the device's UDS (64 hex characters, plain or encrypted)"],
            [id: 'uds-server-undecryptable', input: 'settings server with an undecryptable `{…}` password', field: 'udsServerId', device: "'devkit-test-01' (#1 of <devices>)",
             config: device('devkit-test-01', 'uds-undecryptable'),
             message: "cannot decrypt the <password> of settings.xml server 'uds-undecryptable'"],
            [id: 'uds-server-env-unset', input: 'settings server password `${env.X}` with X unset', field: 'udsServerId', device: "'devkit-test-01' (#1 of <devices>)",
             config: device('devkit-test-01', 'uds-from-env'),
             message: "the <password> of settings.xml server 'uds-from-env' refers to \${env.DPS_IT_UNSET_VARIABLE}, which is not set; is the environment variable DPS_IT_UNSET_VARIABLE set?"],
            [id: 'uds-server-63-characters', input: 'settings server password of 63 characters', field: 'uds', device: "'devkit-test-01' (#1 of <devices>)",
             config: device('devkit-test-01', 'uds-63'),
             message: "the password of settings.xml server 'uds-63' is not a valid UDS: has 63 characters; expected exactly 64 hexadecimal characters (32 bytes)"],
            [id: 'uds-server-whitespace', input: 'settings server password with a space', field: 'uds', device: "'devkit-test-01' (#1 of <devices>)",
             config: device('devkit-test-01', 'uds-space'),
             message: "the password of settings.xml server 'uds-space' is not a valid UDS: contains whitespace or a separator at position 33"],
            [id: 'uds-server-non-ascii', input: 'UDS with a non-ASCII digit (fullwidth `Ａ`)', field: 'uds', device: "'devkit-test-01' (#1 of <devices>)",
             config: device('devkit-test-01', 'uds-non-ascii'),
             message: "the password of settings.xml server 'uds-non-ascii' is not a valid UDS: character at position 64 is not a hexadecimal digit"],
            [id: 'uds-two-devices-one-bad', input: 'one good and one bad device', field: 'uds', device: "'devkit-test-02' (#2 of <devices>)",
             config: P01.replace('</devices>', '') + '<device><registrationId>devkit-test-02</registrationId><udsEnv>DPS_IT_UDS_63</udsEnv></device></devices>',
             message: 'has 63 characters; expected exactly 64 hexadecimal characters (32 bytes)'],
            // accepted
            [id: 'uds-upper-case', input: 'UDS in upper case (spec table)', result: 'success',
             config: device('devkit-ff-uds', 'uds-p05'),
             outcome: 'accepted: the same certificate as lower case (vectors P04, P05)',
             check: { File d -> same(d, 'devkit-ff-uds', 'P05'); same(d, 'devkit-ff-uds', 'P04') }],
            [id: 'uds-mixed-case-env', input: 'UDS in mixed case from an environment variable', result: 'success',
             config: '<firmwareBin>${vectors}/firmware/fw-c.ino.bin</firmwareBin><firmwareMap>${vectors}/firmware/fw-c.ino.map</firmwareMap>' +
                    '<devices><device><macAddress>AD:3C:8F:33:18:6B</macAddress><firmwareVersion>1.0.9</firmwareVersion><udsEnv>DPS_IT_UDS_P10</udsEnv></device></devices>',
             outcome: 'accepted (vector P10)', check: { File d -> same(d, 'az-ad3c8f33186bv1v0v9', 'P10') }],
        ]
    }

    /** Invocation n (1-based) of direct-catalogue/invoker.properties is case n here. */
    static List<Map> direct() {
        [
            [id: 'direct-no-registration-id', input: 'udsServerId without a device (spec table: missing `-i`)', field: 'registrationId',
             message: 'udsServerId/udsEnv is given without a device; add -Ddps.registrationId=<id> (or -Ddps.macAddress=<mac> with -Ddps.firmwareVersion=<N.N.N>)'],
            [id: 'direct-no-uds-source', input: 'registrationId without a UDS source (spec table: missing `-u`)', field: 'udsServerId',
             device: "'devkit-test-01' (given by dps.registrationId/dps.macAddress)",
             message: 'no UDS source; give udsServerId (a settings.xml server whose password is the UDS) or udsEnv'],
            [id: 'direct-no-device', input: 'no device at all', field: 'devices',
             message: 'no device to generate for; list devices, give a devicesFile, or give a registrationId (or macAddress and firmwareVersion) with a udsServerId or udsEnv'],
            [id: 'direct-uds-property', input: '`-Ddps.uds=<UDS>`', field: 'uds',
             message: 'the parameter uds / property dps.uds is refused: a UDS written in a POM or on the command line ends up in version control, shell history and build logs'],
            [id: 'direct-shard-abc', input: '`-Ddps.shard=abc`', field: 'shard',
             message: "'abc' is not a shard; expected i/n with 1 <= i <= n, such as 1/4 (the first of four parts)"],
            [id: 'direct-mac-bad', input: '`-Ddps.macAddress=c8:93:46:4a:1b`', field: 'macAddress',
             device: 'given by dps.registrationId/dps.macAddress',
             message: "'c8:93:46:4a:1b' is not a MAC address; expected 6 bytes in hex"],
            [id: 'direct-bin-default-missing', input: 'no `-Ddps.firmwareBin` and no `.bin` at the default place', field: 'firmwareBin',
             message: 'is not set, and its default (${project.basedir}/target/standalone-pom-1.bin) needs a POM; give -Ddps.firmwareBin=<path>'],
            [id: 'direct-outdir-default', input: 'no `-Ddps.outputDirectory`', field: 'outputDirectory',
             message: 'is not set, and its default (${project.basedir}/target/dps) needs a POM; give -Ddps.outputDirectory=<path>'],
            [id: 'direct-outdir-is-a-file', input: '`-Ddps.outputDirectory` naming a file', field: 'outputDirectory',
             message: 'certs-file exists and is not a directory; expected a directory for the certificates'],
            [id: 'verify-listed-twice', input: '`verify`: a manifest listing one device twice', field: 'manifest',
             message: "registration ID 'dev-a' is listed twice, at devices[0] and devices[2]; generate lists each device once"],
            [id: 'verify-interrupted-publish', input: '`verify`: an output directory whose publish was interrupted (`.dps-publish` beside the manifest)', field: 'manifest',
             message: "holds .dps-publish, the journal of a generate run whose publishing was interrupted (killed, or still running): the directory mixes two runs' files. Run generate again into it"],
            [id: 'merge-file-name-traversal', input: '`merge-manifests`: a shard listing the file `../../etc/passwd`', field: 'manifests',
             message: "devices[0]: aliasCertificate is '../../etc/passwd' where generate writes 'dev-a.pem' for this ID"],
            [id: 'merge-upper-case-id', input: '`merge-manifests`: a shard listing the ID `UPPER`', field: 'manifests',
             message: "devices[0]: registrationId 'UPPER' contains an upper-case letter at position 1"],
            [id: 'verify-release-without-pom', input: '`verify`: `-Ddps.previousRelease` without a POM', field: 'previousRelease',
             message: "'1.3.7' names a release of this project, but there is no project (no POM here); name the previous firmware by its files: previousFirmwareElf, or previousFirmwareBin and previousFirmwareMap"],
        ]
    }

    /** A shard's manifest header, as generate writes it (the values do not matter to the refusals). */
    static final String SHARD_HEADER = '"format": 1, "noncePolicy": "devkit", "shard": "1/1", "firmware": {"bin": "fw-a.ino.bin", ' +
            '"map": "fw-a.ino.map", "riotCoreDigest": "00", "fwid": "00"}'

    /** The odd outputs the verify and merge-manifests cases of direct() are given. */
    static void writeDirectFixtures(File basedir) {
        def shard = { String dir, String device ->
            def d = new File(basedir, dir)
            d.mkdirs()
            new File(d, 'dps-manifest.json').setText('{' + SHARD_HEADER + ', "devices": [' + device + ']}\n', 'UTF-8')
        }
        shard('shard-traversal', '{"registrationId": "dev-a", "aliasCertificate": "../../etc/passwd", "deviceIdCertificate": "dev-a-deviceid.pem"}')
        shard('shard-upper', '{"registrationId": "UPPER", "aliasCertificate": "UPPER.pem", "deviceIdCertificate": "UPPER-deviceid.pem"}')
        def listed = { String id -> '{"registrationId": "' + id + '", "aliasCertificate": "' + id + '.pem"}' }
        def twice = new File(basedir, 'verify-twice')
        twice.mkdirs()
        new File(twice, 'dps-manifest.json').setText('{"format": 1, "devices": [' + listed('dev-a') + ', ' + listed('dev-b') + ', ' +
                listed('dev-a') + ']}\n', 'UTF-8')
        ['dev-a', 'dev-b'].each { new File(twice, it + '.pem').bytes = vectorFile('P01', 'devkit-test-01').bytes }
        def killed = new File(basedir, 'verify-killed')
        killed.mkdirs()
        new File(killed, 'dps-manifest.json').setText('{"format": 1, "devices": [' + listed('dev-a') + ']}\n', 'UTF-8')
        new File(killed, '.dps-publish').setText('dps-publish 1\n.dps-staging-1\n', 'UTF-8')
    }

    // ---- setup ----

    static void setup(File basedir, String family, File vectors) {
        vectorsDir = vectors
        def all = cases(family)
        if (family.startsWith('direct-')) {
            writePrevious(new File(basedir, 'certs'))
            new File(basedir, 'certs-file').text = PREVIOUS_RUN
            writeDirectFixtures(basedir)
            return
        }
        def modules = (new File(basedir, 'pom.xml').getText('UTF-8') =~ /<module>([^<]+)<\/module>/).collect { it[1] }
        assert modules == all*.id: "the modules of ${family}/pom.xml must be the cases of Catalogue.${family}, in order"
        all.each { c ->
            def dir = new File(basedir, c.id)
            dir.mkdirs()
            new File(dir, 'pom.xml').setText(pom(family, c), 'UTF-8')
            if (c.result != 'success') {
                writePrevious(new File(dir, 'target/dps'))
            }
            if (c.files) {
                def restricted = c.files.call(dir)
                if (c.permissions && !restricted) {
                    new File(dir, 'SKIPPED').text = ROOT_NOTE
                }
            }
        }
    }

    static void writePrevious(File out) {
        out.mkdirs()
        new File(out, 'dps-manifest.json').setText(PREVIOUS_RUN, 'UTF-8')
    }

    static String pom(String family, Map c) {
        """<?xml version="1.0" encoding="UTF-8"?>
<!-- generated by setup.groovy from lib/Catalogue.groovy: ${c.input.replace('--', '-')} -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <parent>
    <groupId>com.example.catalogue</groupId>
    <artifactId>${family}</artifactId>
    <version>1.0</version>
  </parent>
  <artifactId>${c.id}</artifactId>
  <packaging>pom</packaging>
  <build>
    <plugins>
      <plugin>
        <groupId>${PLUGIN_GROUP}</groupId>
        <artifactId>dps-maven-plugin</artifactId>
        <configuration>${c.config}</configuration>
      </plugin>
    </plugins>
  </build>
</project>
"""
    }

    // ---- verify ----

    static File vectorFile(String vector, String id) { new File(vectorsDir, "${vector}/${id}.pem") }

    static void same(File moduleDir, String id, String vector) {
        def out = new File(moduleDir, 'target/dps')
        def actual = new File(out, "${id}.pem")
        assert actual.isFile(): "${moduleDir.name}: missing ${actual.name}"
        assert actual.bytes == vectorFile(vector, id).bytes: "${moduleDir.name}: ${id}.pem differs from vector ${vector}"
    }

    /**
     * The log of each Maven invocation, in order: invoker 3.10.1 appends them all to build.log. An
     * invocation's error report comes after its "Finished at" line; the next one starts with the
     * first "Apache Maven" (-X) or "Error stacktraces are turned on" (-e) line after that.
     */
    static List<String> invocations(File basedir) {
        def text = new File(basedir, 'build.log').getText('UTF-8')
        def positions = { regex -> def m = text =~ regex; def out = []; while (m.find()) { out << m.start() }; out }
        def scans = positions(/(?m)^\[INFO\] Scanning for projects\.\.\.$/)
        def finishes = positions(/(?m)^\[INFO\] Finished at: /)
        // Maven 3.8.x prints its version line in colour even with -B: skip ANSI escapes before it
        def heads = positions(/(?m)^(?:\u001B\[[0-9;]*m)*(Apache Maven \d|\[INFO\] Error stacktraces are turned on\.)/)
        assert !scans.isEmpty() && scans.size() == finishes.size(): 'build.log: one "Finished at" per invocation expected'
        def starts = [0]
        for (int i = 1; i < scans.size(); i++) {
            int after = finishes[i - 1]
            starts << (heads.find { it > after && it <= scans[i] } ?: scans[i])
        }
        (0..<starts.size()).collect { i -> text.substring(starts[i], i + 1 < starts.size() ? starts[i + 1] : text.length()) }
    }

    /** project → the message of its failed goal (first report of it). */
    static Map<String, String> failures(String log) {
        def out = [:]
        def m = log =~ /(?s)\[ERROR\] Failed to execute goal \S+ \(\S+\) on project (\S+?): (.*?) -> \[Help/
        while (m.find()) {
            out.putIfAbsent(m.group(1), m.group(2))
        }
        out
    }

    /** Asserts a failure message names device, field and what is expected. */
    static void assertMessage(Map c, String message) {
        assert message != null: "${c.id}: the build did not fail"
        assert message.contains("${c.field}: "): "${c.id}: the message does not name ${c.field}: ${message}"
        if (c.device) {
            assert message.contains("device ${c.device}"): "${c.id}: the message does not name device ${c.device}: ${message}"
        }
        assert message.contains(c.message): "${c.id}: expected «${c.message}» in: ${message}"
        [UDS_P01, UDS_P08, UDS_P10].each { s ->
            [s, s.toLowerCase(Locale.ROOT), s.toUpperCase(Locale.ROOT)].each { v ->
                assert !message.contains(v): "${c.id}: a UDS in the message"
            }
        }
    }

    /** Verifies the cases of a POM family against the reactor log (invocation 1, with -fae). */
    static List<String> verifyModules(File basedir, String family, File vectors) {
        vectorsDir = vectors
        def notes = []
        def log = invocations(basedir)[0]
        def wholeLog = new File(basedir, 'build.log').getText('UTF-8')
        def failed = failures(log)
        cases(family).each { c ->
            def dir = new File(basedir, c.id)
            def skipped = new File(dir, 'SKIPPED')
            if (skipped.exists()) {
                notes << "${family}/${c.id}: ${skipped.text}"
                return
            }
            if (c.result == 'success') {
                assert !failed.containsKey(c.id): "${c.id} must succeed but failed: ${failed[c.id]}"
                c.check.call(dir)
                (c.outcome =~ /`([^`]+)`/).each { all, quoted ->
                    assert wholeLog.contains(quoted): "${c.id}: the build log lacks «${quoted}»"
                }
                return
            }
            assertMessage(c, failed[c.id])
            // nothing new in the output directory, the previous run's output untouched
            def out = new File(dir, 'target/dps')
            assert out.list().toList() == ['dps-manifest.json']: "${c.id}: left behind in target/dps: ${out.list()}"
            assert new File(out, 'dps-manifest.json').getText('UTF-8') == PREVIOUS_RUN: "${c.id}: previous manifest changed"
            def expectedTarget = ['dps'] + (c.extraOutputs ?: [])
            assert new File(dir, 'target').list().toList().sort() == expectedTarget.sort(): "${c.id}: target/ holds ${new File(dir, 'target').list()}"
            (c.extraOutputs ?: []).each { name ->
                def f = new File(dir, "target/${name}")
                if (Files.isSymbolicLink(f.toPath())) {
                    assert !f.exists(): "${c.id}: ${name} now leads somewhere"
                } else if (f.isFile()) {
                    assert f.getText('UTF-8') == PREVIOUS_RUN: "${c.id}: ${name} changed"
                } else {
                    assert f.list().toList() == []: "${c.id}: left behind in ${name}: ${f.list()}"
                }
            }
        }
        assert failed.keySet() == (cases(family).findAll { it.result != 'success' && !new File(basedir, "${it.id}/SKIPPED").exists() }*.id as Set):
                "unexpected failures: ${failed.keySet()}"
        notes
    }

    /** Verifies direct-catalogue: invocation n is case n; certs/ and certs-file are untouched. */
    static List<String> verifyDirect(File basedir, File vectors) {
        vectorsDir = vectors
        def logs = invocations(basedir)
        def all = direct()
        assert logs.size() == all.size(): "${logs.size()} invocations for ${all.size()} cases"
        all.eachWithIndex { c, i ->
            assertMessage(c, failures(logs[i])['standalone-pom'])
        }
        def certs = new File(basedir, 'certs')
        assert certs.list().toList() == ['dps-manifest.json']: "left behind in certs/: ${certs.list()}"
        assert new File(certs, 'dps-manifest.json').getText('UTF-8') == PREVIOUS_RUN
        assert new File(basedir, 'certs-file').getText('UTF-8') == PREVIOUS_RUN
        assert !new File(basedir, 'target/dps').exists()
        assert !new File(basedir, 'merged').exists(): 'a refused merge writes nothing'
        assert !new File(basedir, 'target/dps-verify').exists(): 'a refused verify leaves no report'
        []
    }

    // ---- the troubleshooting guide ----

    static String cell(String s) { s.replace('|', '\\|') }

    static String code(String s) { '`' + s.replace('`', "'") + '`' }

    /** The troubleshooting tables, as the guide must show them. */
    static String guideTables() {
        def sb = new StringBuilder()
        FAMILIES.each { family, title ->
            sb << "### ${title}\n\n"
            sb << '| input | parameter | message (excerpt) |\n|---|---|---|\n'
            cases(family).each { c ->
                if (c.result == 'success') {
                    sb << "| ${cell(c.input)} | | ${cell(c.outcome)} |\n"
                } else {
                    sb << "| ${cell(c.input)} | `${c.field}` | ${cell(code(c.message))} |\n"
                }
            }
            sb << '\n'
        }
        sb.toString().trim() + '\n'
    }

    static final String BEGIN = '<!-- troubleshooting-catalogue: generated from it/src/it/lib/Catalogue.groovy; checked by the catalogue ITs -->'
    static final String END = '<!-- end of troubleshooting-catalogue -->'

    /** The guide, relative to the project root. */
    static final String GUIDE = 'dps-maven-plugin/src/site/markdown/troubleshooting.md'

    /** The guide's tables equal the catalogue; on a difference the expected text is written to basedir. */
    static void checkGuide(File projectRoot, File basedir) {
        def guide = new File(projectRoot, GUIDE)
        def expected = guideTables()
        new File(basedir, 'troubleshooting.md').setText(expected, 'UTF-8')
        assert guide.isFile(): "${guide} is missing"
        def text = guide.getText('UTF-8')
        int b = text.indexOf(BEGIN)
        int e = text.indexOf(END)
        assert b >= 0 && e > b: "${GUIDE} lacks the troubleshooting markers; paste ${basedir}/troubleshooting.md between them"
        def actual = text.substring(b + BEGIN.length(), e).trim() + '\n'
        if (actual != expected) {
            throw new AssertionError("${GUIDE}'s troubleshooting tables differ from the catalogue; the expected text is in ${basedir}/troubleshooting.md")
        }
    }
}
