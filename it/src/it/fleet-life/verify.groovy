// A fleet's life: every release's certificates are what each device computes from its UDS (one file
// made before the first release, a second for the devices added at the third) and that release's
// firmware; verify recomputed every one; each rollout's previous/ is the release before's certificates,
// byte for byte; the merge kept what it did not write; DPS holds each release after its rollout; no -D
// was overridden; no UDS anywhere.
import groovy.json.JsonSlurper
import io.github.dpsplugin.core.DeviceCertificateGenerator
import io.github.dpsplugin.core.dice.Uds
import io.github.dpsplugin.core.id.RegistrationId
import io.github.dpsplugin.core.pem.PemLayout
import io.github.dpsplugin.core.x509.NoncePolicy
import java.security.MessageDigest

def Checks = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Checks.groovy'))
def Catalogue = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Catalogue.groovy'))
def json = new JsonSlurper()
// Groovy's assert prints the values it compared, which here may be secrets (and manifests are long):
// every assert below has its own message
def check = { boolean ok, String message -> if (!ok) throw new AssertionError(message) }

def Dps = new GroovyClassLoader(getClass().classLoader).parseClass(new File(basedir, 'Dps.groovy'))
def StandIn = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'StandIn.groovy'))
def dps = StandIn.of(basedir)
try {
    def logs = Catalogue.invocations(basedir)
    check(logs.size() == 17, "${logs.size()} invocations")
    def expect = { int step, String text -> check(logs[step - 1].contains(text), "invocation ${step} lacks: ${text}") }
    (1..17).each { expect(it, 'BUILD SUCCESS') }
    // no warning at all, so none that a -D is ignored: the POM names ${dps.x} for what the releases change
    logs.eachWithIndex { log, i ->
        def warnings = log.readLines().findAll { it.contains('WARNING') }
        check(warnings.isEmpty(), "invocation ${i + 1}: ${warnings}")
    }

    // ---- the UDS files: one made before the first release, one for the added devices; keyed by ID or MAC ----
    def read = { String name ->
        def lines = new File(basedir, "secrets/${name}").getText('US-ASCII').split('\n').toList()
        check(lines[0] == 'registrationId,macAddress,uds', "${name}: header")
        lines.drop(1).collectEntries { l ->
            def f = l.split(',', -1)
            check(f.length == 3 && f[0].isEmpty() != f[1].isEmpty() && f[2] ==~ /[0-9a-f]{64}/, "${name}: a line")
            [f[0] ?: "mac ${f[1]}".toString(), f[2]]
        }
    }
    def uds = read('uds.csv')
    def added = read('uds-added.csv')
    check(uds.keySet().toList() == ['line1-device-001', 'mac c893464a1b2c', 'line1-device-002', 'mac c893464a1b2d',
                                     'line1-device-003', 'mac c893464a1b2e'], "uds.csv: keys ${uds.keySet()}")
    check(added.keySet().toList() == ['line2-device-001', 'mac c893464a1b2f'], "uds-added.csv: keys ${added.keySet()}")
    check((uds.values() + added.values()).toSet().size() == 8, 'UDS values repeat')
    expect(1, 'DPS UDS file: 6 new UDS values written to')
    expect(11, 'DPS UDS file: 6 devices already have a UDS in uds.csv: no new one')
    expect(11, 'DPS UDS file: 2 new UDS values written to')
    // the file made before the first release served all three, unchanged (verify.1.groovy kept its hash)
    check(MessageDigest.getInstance('SHA-256').digest(new File(basedir, 'secrets/uds.csv').bytes).encodeHex().toString()
            == new File(basedir, 'uds.csv.sha256').getText('US-ASCII'), 'uds.csv changed')

    // ---- each release's certificates, recomputed here from the UDS files and the release's firmware ----
    def idOf = { String key, String version -> key.startsWith('mac ') ? "az-${key.substring(4)}v${version.replace('.', 'v')}".toString() : key }
    def expectCertificates = { File dir, String version, Map<String, String> devices ->
        def generator = DeviceCertificateGenerator.forFirmware(new File(basedir, "releases/${version}/app.ino.bin").toPath(),
                new File(basedir, "releases/${version}/app.ino.map").toPath(), NoncePolicy.DEVKIT)
        devices.each { key, hex ->
            def id = idOf(key, version)
            def u = Uds.fromHex(hex)
            def certs = generator.generate(RegistrationId.of(id), u)
            u.close()
            check(new File(dir, "${id}.pem").getText('US-ASCII') == certs.aliasCertificatePem(PemLayout.ONE_LINE), "${version}: ${id}.pem")
            check(new File(dir, "${id}-deviceid.pem").getText('US-ASCII') == certs.deviceIdCertificatePem(PemLayout.ONE_LINE),
                    "${version}: ${id}-deviceid.pem")
        }
        def manifest = json.parse(new File(dir, 'dps-manifest.json'))
        check(manifest.devices*.registrationId == devices.keySet().collect { idOf(it, version) }, "${version}: manifest IDs")
        def derived = manifest.devices.findAll { it.macAddress }
        check(derived.size() == devices.keySet().count { it.startsWith('mac ') } && derived.every { it.firmwareVersion == version },
                "${version}: manifest firmwareVersion")
        manifest
    }
    def release1 = new File(basedir, 'target/releases/1.3.7')
    def release2 = new File(basedir, 'target/releases/2.0.0')
    def release3 = new File(basedir, 'target/dps')
    def m1 = expectCertificates(release1, '1.3.7', uds)
    def m2 = expectCertificates(release2, '2.0.0', uds)
    def m3 = expectCertificates(release3, '2.1.0', uds + added)
    check(m1.previousFirmware == null, '1.3.7: a previous firmware')
    check(m2.previousFirmware.firmwareVersion == '1.3.7' && m2.previousFirmware.fwid == m1.firmware.fwid, '2.0.0: previousFirmware')
    check(m3.previousFirmware.firmwareVersion == '2.0.0' && m3.previousFirmware.fwid == m2.firmware.fwid
        && m3.previousFirmware.bin == 'fleet-life-2.0.0.bin', '2.1.0: previousFirmware (previousRelease 2.0.0)')

    // ---- each rollout's previous/: the release before's certificates, byte for byte (MAC-derived devices
    //      under their IDs of then) ----
    def previousIs = { File rollout, File before, String beforeVersion, Map<String, String> devices ->
        devices.keySet().each { key ->
            def old = idOf(key, beforeVersion)
            Checks.sameBytes(new File(rollout, "previous/${old}.pem"), new File(before, "${old}.pem"))
        }
    }
    previousIs(release2, release1, '1.3.7', uds)
    previousIs(release3, release2, '2.0.0', uds)
    def previousOf = { manifest -> manifest.devices.collectEntries { [it.registrationId, it.previousRegistrationId] } }
    check(previousOf(m2)['az-c893464a1b2cv2v0v0'] == 'az-c893464a1b2cv1v3v7', '2.0.0: previousRegistrationId')
    check(previousOf(m3)['az-c893464a1b2cv2v1v0'] == 'az-c893464a1b2cv2v0v0', '2.1.0: previousRegistrationId')

    // ---- release 2.0.0: two shards, merged into the directory holding release 1.3.7's output ----
    expect(5, 'DPS certificates: 3 devices written to target/shard-1')
    expect(6, 'DPS certificates: 3 devices written to target/shard-2')
    expect(7, 'DPS merge-manifests: 2 shards, 6 devices merged into')
    def files = { File dir -> def list = []; dir.eachFileRecurse { if (it.isFile()) list << dir.toPath().relativize(it.toPath()).toString() }; list.sort() }
    // every certificate of the shards, byte for byte, and no other (release 1.3.7's certificates were all
    // listed by its manifest: replaced or, when the merged manifest no longer lists them, stale)
    def shardPems = ['shard-1', 'shard-2'].collectEntries { s ->
        files(new File(basedir, "target/${s}")).findAll { it.endsWith('.pem') }.collectEntries { [it, new File(basedir, "target/${s}/${it}")] }
    }
    shardPems.each { name, file -> Checks.sameBytes(new File(release2, name), file) }
    check(files(release2).findAll { it.endsWith('.pem') }.toSet() == shardPems.keySet(), "merged: ${files(release2)}")
    def stale = m1.devices*.aliasCertificate - m2.devices*.aliasCertificate
    check(stale == ['az-c893464a1b2cv1v3v7.pem', 'az-c893464a1b2dv1v3v7.pem', 'az-c893464a1b2ev1v3v7.pem'], "stale: ${stale}")
    // the user's file that no manifest lists, put there after release 1.3.7 (verify.4.groovy): kept by the
    // merge and by release 2.1.0's generate
    check(new File(release3, 'NOTES.txt').getText('UTF-8') == 'enrolled 2026-12-01\n', 'a file no manifest lists was touched')

    // ---- release 2.1.0: the added devices are in ----
    expect(14, 'DPS certificates: 8 devices written to target/dps')
    expect(14, 'rollout 2.0.0 -> 2.1.0')

    // ---- verify after every release: every certificate recomputed, nothing reported not checked ----
    // ---- and every device of the devices file (the POM's, all.csv for 2.1.0) has its certificate ----
    [3: ['1.3.7', 6, 'devices.csv'], 8: ['2.0.0', 6, 'devices.csv'], 15: ['2.1.0', 8, 'all.csv']].each { step, spec ->
        def (version, n, devices) = spec
        expect(step, "DPS verify: ${n} certificates: ${n} recomputed; report: ")
        check(!logs[step - 1].contains('not checked'), "invocation ${step}: something not checked")
        def dir = new File(basedir, "target/verify-${version}")
        def report = json.parse(new File(dir, 'dps-verify.json'))
        check(report.statuses == [recomputed: n, consistent: 0, "previous-firmware": 0, mismatch: 0, missing: 0]
                && report.failed == 0 && report.devices == devices,
                "${version}: ${report.statuses}")
        check(report.certificates.size() == n && report.certificates.every { it.status == 'recomputed' }, "${version}: a status")
        def text = new File(dir, 'dps-verify.txt').getText('UTF-8')
        check(text.readLines()[0] == "DPS certificate verification: ${n} certificates: ${n} recomputed", "${version}: ${text.readLines()[0]}")
        check(!text.contains('not checked'), "${version}: dps-verify.txt says not checked")
    }
    check(new File(basedir, 'target/verify-2.1.0/dps-verify.txt').getText('UTF-8').contains('UDS: from udsFile uds.csv, uds-added.csv'),
            '2.1.0: the report does not name both UDS files')

    // ---- DPS after release 2.1.0's rollout finish: the eight devices, each with its certificate only ----
    Dps.check(basedir, dps, 'finish')
    expect(4, 'DPS enroll: Enrolled 6 device(s): 6 created, 0 updated, 0 left as they were')
    expect(9, 'DPS enroll: Enrolled 6 device(s): 3 created, 3 updated, 0 left as they were, 0 old enrollment(s) deleted')
    expect(10, 'DPS enroll: Enrolled 6 device(s): 0 created, 3 updated, 3 left as they were, 3 old enrollment(s) deleted')
    // the added devices are created at the start; an added device's ID of the previous version was never
    // enrolled, so the finish deletes the three old IDs of the others only
    expect(16, 'DPS enroll: Enrolled 8 device(s): 5 created, 3 updated, 0 left as they were, 0 old enrollment(s) deleted')
    expect(17, 'DPS enroll: Enrolled 8 device(s): 0 created, 4 updated, 4 left as they were, 3 old enrollment(s) deleted')
    check(!Checks.log(basedir).contains(dps.key()), 'the DPS key is in the build log')

    // ---- no UDS, in hex or base64, in any log or output ----
    def values = uds.values() + added.values()
    Checks.noSecrets(basedir, values + values.collect { Base64.encoder.encodeToString(it.decodeHex()) })
} finally {
    StandIn.stop(basedir)
}
return true
