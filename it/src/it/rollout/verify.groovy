// The rollout's bodies, script and previous certificates against separate plain runs of each firmware.
import groovy.json.JsonSlurper

def Checks = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Checks.groovy'))
def out = new File(basedir, 'target/dps')
def plainNew = new File(basedir, 'target/plain-new')
def plainOld = new File(basedir, 'target/plain-previous')
def json = new JsonSlurper()

def log = Checks.log(basedir)
assert log.contains('rollout 1.3.7 -> 2.0.0: 1 device changes certificate (FWID 0148... -> e441...), 1 change'
        + ' registration ID, 0 unchanged; apply dps-rollout-start-*.json before the update, dps-rollout-finish-*.json'
        + ' after (or run dps-rollout.sh start, then finish)')

// the plain runs: fw-b gives P06 for devkit-test-01, fw-a gives P01 and P08
Checks.sameDer(new File(plainNew, 'devkit-test-01.pem'), new File(vectorsDir, 'P06/devkit-test-01.pem'))
Checks.sameDer(new File(plainOld, 'devkit-test-01.pem'), new File(vectorsDir, 'P01/devkit-test-01.pem'))
Checks.sameDer(new File(plainOld, 'az-a0b1c2d3e4f5v1v3v7.pem'), new File(vectorsDir, 'P08/az-a0b1c2d3e4f5v1v3v7.pem'))

// the rollout's own certificates are the plain runs', byte for byte
Checks.sameBytes(new File(out, 'devkit-test-01.pem'), new File(plainNew, 'devkit-test-01.pem'))
Checks.sameBytes(new File(out, 'az-a0b1c2d3e4f5v2v0v0.pem'), new File(plainNew, 'az-a0b1c2d3e4f5v2v0v0.pem'))
Checks.sameBytes(new File(out, 'previous/devkit-test-01.pem'), new File(plainOld, 'devkit-test-01.pem'))
Checks.sameBytes(new File(out, 'previous/az-a0b1c2d3e4f5v1v3v7.pem'), new File(plainOld, 'az-a0b1c2d3e4f5v1v3v7.pem'))

def pem = { File f -> f.getText('US-ASCII') }
def bodies = { String step -> out.listFiles().findAll { it.name.startsWith("dps-rollout-${step}-") }.sort { it.name } }
def certs = { e -> e.attestation.x509.clientCertificates }

// start: update devkit-test-01 to (new, previous); create the new MAC-derived ID with the new certificate
def start = bodies('start')
assert start*.name == ['dps-rollout-start-0001.json', 'dps-rollout-start-0002.json']
def s1 = json.parse(start[0]), s2 = json.parse(start[1])
assert s1.mode == 'update' && s1.enrollments.size() == 1
assert s1.enrollments[0].registrationId == 'devkit-test-01'
assert s1.enrollments[0].attestation.type == 'x509'
assert certs(s1.enrollments[0]).primary.certificate == pem(new File(plainNew, 'devkit-test-01.pem'))
assert certs(s1.enrollments[0]).secondary.certificate == pem(new File(plainOld, 'devkit-test-01.pem'))
assert s2.mode == 'create' && s2.enrollments.size() == 1
assert s2.enrollments[0].registrationId == 'az-a0b1c2d3e4f5v2v0v0'
assert s2.enrollments[0].provisioningStatus == 'enabled'
assert certs(s2.enrollments[0]).primary.certificate == pem(new File(plainNew, 'az-a0b1c2d3e4f5v2v0v0.pem'))
assert certs(s2.enrollments[0]).secondary == null

// finish: devkit-test-01 keeps only the new certificate; the old MAC-derived enrollment is deleted
def finish = bodies('finish')
assert finish*.name == ['dps-rollout-finish-0001.json', 'dps-rollout-finish-0002.json']
def f1 = json.parse(finish[0]), f2 = json.parse(finish[1])
assert f1.mode == 'update' && f1.enrollments*.registrationId == ['devkit-test-01']
assert certs(f1.enrollments[0]).primary.certificate == pem(new File(plainNew, 'devkit-test-01.pem'))
assert certs(f1.enrollments[0]).secondary == null
assert f2.mode == 'delete' && f2.enrollments*.registrationId == ['az-a0b1c2d3e4f5v1v3v7']
assert certs(f2.enrollments[0]).primary.certificate == pem(new File(plainOld, 'az-a0b1c2d3e4f5v1v3v7.pem'))

// every body: the BulkEnrollmentOperation shape, at most 10 enrollments, one lower-case mode
(start + finish).each { f ->
    def b = json.parse(f)
    assert b.keySet() == ['mode', 'enrollments'] as Set
    assert b.mode in ['create', 'update', 'updateIfMatchETag', 'delete']
    assert b.enrollments.size() in 1..10
    b.enrollments.each { e -> assert e.registrationId && e.attestation.type == 'x509' }
}

// the manifest: previous firmware and, per device, previous ID and thumbprints
def manifest = json.parse(new File(out, 'dps-manifest.json'))
assert manifest.previousFirmware.bin == 'fw-a.ino.bin' && manifest.previousFirmware.firmwareVersion == '1.3.7'
assert manifest.previousFirmware.fwid == json.parse(new File(plainOld, 'dps-manifest.json')).firmware.fwid
def byId = manifest.devices.collectEntries { [it.registrationId, it] }
assert byId['devkit-test-01'].previousRegistrationId == null
assert byId['az-a0b1c2d3e4f5v2v0v0'].previousRegistrationId == 'az-a0b1c2d3e4f5v1v3v7'
assert byId['az-a0b1c2d3e4f5v2v0v0'].previousAliasThumbprintSha1 ==
        Checks.thumbprint('SHA-1', new File(plainOld, 'az-a0b1c2d3e4f5v1v3v7.pem'))
assert byId['devkit-test-01'].previousAliasThumbprintSha256 ==
        Checks.thumbprint('SHA-256', new File(plainOld, 'devkit-test-01.pem'))

// one thread or several: the same files, byte for byte
def tree = { File dir -> def m = [:]; dir.eachFileRecurse { if (it.isFile()) m[dir.toPath().relativize(it.toPath()).toString()] = it.bytes.encodeHex().toString() }; m }
assert tree(out) == tree(new File(basedir, 'target/dps-one-thread'))

// the script, run with a stand-in az that logs its arguments and checks the files it is given
def bin = new File(basedir, 'target/fake-az')
bin.mkdirs()
def azLog = new File(basedir, 'target/az.log')
def az = new File(bin, 'az')
az.text = '#!/bin/sh\nfor a in "$@"; do case "$a" in *.pem) [ -f "${a#*=}" ] || { echo "missing $a" >&2; exit 3; } ;; esac; done\n' +
        "echo \"\$*\" >> '${azLog}'\n"
az.setExecutable(true)
['start', 'finish'].each { step ->
    def p = new ProcessBuilder('/bin/sh', new File(out, 'dps-rollout.sh').path, step).redirectErrorStream(true)
    p.environment().put('PATH', bin.path + ':' + System.getenv('PATH'))
    def proc = p.start()
    def text = proc.inputStream.text
    assert proc.waitFor() == 0: text
}
// --option=value: no value from the input can pass for an option of az
def target = "--dps-name=my-dps --resource-group=my-resource-group --enrollment-id="
assert azLog.readLines() == [
    "iot dps enrollment update ${target}devkit-test-01 --certificate-path=devkit-test-01.pem --secondary-certificate-path=previous/devkit-test-01.pem".toString(),
    "iot dps enrollment create ${target}az-a0b1c2d3e4f5v2v0v0 --attestation-type x509 --certificate-path=az-a0b1c2d3e4f5v2v0v0.pem".toString(),
    "iot dps enrollment update ${target}devkit-test-01 --certificate-path=devkit-test-01.pem --remove-secondary-certificate true".toString(),
    "iot dps enrollment delete ${target}az-a0b1c2d3e4f5v1v3v7".toString()]

Checks.noSecrets(basedir, ['0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
                           '47671826535671daee64898c37347907516c398cf230d6365822be2c35c3479b'])
return true

// the previous firmware named by its release (previousRelease 1.3.7, resolved from the local
// repository): every output byte for byte as when its files are named, but the manifest's
// previousFirmware file names (the repository's)
def release = new File(basedir, 'target/dps-release')
def names = { File dir -> def list = []; dir.eachFileRecurse { if (it.isFile()) list << dir.toPath().relativize(it.toPath()).toString() }; list.sort() }
assert names(release) == names(out)
names(out).findAll { it != 'dps-manifest.json' }.each { Checks.sameBytes(new File(release, it), new File(out, it)) }
def mByFiles = json.parse(new File(out, 'dps-manifest.json'))
def mByRelease = json.parse(new File(release, 'dps-manifest.json'))
assert mByRelease.previousFirmware.bin == 'rollout-1.3.7.bin' && mByRelease.previousFirmware.map == 'rollout-1.3.7.map'
assert mByRelease.previousFirmware.fwid == mByFiles.previousFirmware.fwid
assert mByRelease.devices == mByFiles.devices
