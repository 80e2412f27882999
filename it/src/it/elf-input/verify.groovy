// fw-b's ELF gives the certificates of vectors P06 and P09 (made from fw-b's .bin and .map), the
// manifest names the ELF, and verify finds both certificates matching the same ELF.
def Checks = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Checks.groovy'))
def vectors = new File(vectorsDir)
def out = new File(basedir, 'target/certs')
Checks.sameBytes(new File(out, 'devkit-test-01.pem'), new File(vectors, 'P06/devkit-test-01.pem'))
Checks.sameDer(new File(out, 'devkit-test-01-deviceid.pem'), new File(vectors, 'P06/deviceid-cert.pem'))
Checks.sameBytes(new File(out, 'az-c5590b4275a0v2v0v0.pem'), new File(vectors, 'P09/az-c5590b4275a0v2v0v0.pem'))

def manifest = new groovy.json.JsonSlurper().parse(new File(out, 'dps-manifest.json'))
assert manifest.firmware.elf == 'fw-b.ino.elf'
assert !manifest.firmware.containsKey('bin') && !manifest.firmware.containsKey('map')
assert manifest.firmware.fwid == 'e4411ecb0458c3052369539dab81a2f3d3d27aa720f7bb584cf48f8a7485c7d0'

def report = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/dps-verify/dps-verify.json'))
assert report.ok == true
assert report.firmware.elf == 'fw-b.ino.elf'
assert report.certificates*.file == ['devkit-test-01.pem', 'az-c5590b4275a0v2v0v0.pem']
assert report.certificates*.expectedRegistrationId == ['devkit-test-01', 'az-c5590b4275a0v2v0v0']
report.certificates.each { c ->
    assert c.ok && c.causes == []
    assert c.checks.find { it.name == 'recompute' }.outcome == 'skip': 'no UDS given to verify'
}
// the same certificates as files listed in the POM (<certificates>)
def files = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/dps-verify-files/dps-verify.json'))
assert files.ok == true
assert files.certificates*.file == ['devkit-test-01.pem', 'az-c5590b4275a0v2v0v0.pem']
assert files.certificates*.status == ['consistent', 'consistent']
def log = Checks.log(basedir)
assert log.contains('DPS certificates: 2 devices written to target/certs')
assert !new File(basedir, 'target/dps').exists()
// no UDS: riot_core was not checked, and the log says so in the report's words
assert log.count('DPS verify: 2 certificates: 2 consistent; not checked: recompute (2 of 2: no UDS given') == 2
assert !log.contains('recomputed')
assert !log.contains('is not used: the measured bytes come from'): 'bin/map were left at their defaults'
assert !log.contains('[WARNING]')
Checks.noSecrets(basedir, ['0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
                           '47671826535671daee64898c37347907516c398cf230d6365822be2c35c3479b'])
return true
