// The certificate matches: the report says so check by check, and the DevKit-nonce warning is given.
def Checks = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Checks.groovy'))
assert !new File(basedir, 'pom.xml').exists()
def dir = new File(basedir, 'target/dps-verify')
def json = new groovy.json.JsonSlurper().parse(new File(dir, 'dps-verify.json'))
assert json.format == 1
assert json.ok == true
assert json.firmware.elf == 'fw-a.ino.elf'
assert json.firmware.fwid == '0148702c33f38aab1b71b0fb5f451451888cfa113b2a04a9b6443cbd008653b7'
assert json.expectedNoncePolicy == 'devkit'
assert json.uds == "settings.xml server 'uds-p01'"
assert json.certificates.size() == 1
def cert = json.certificates[0]
assert cert.file == 'devkit-test-01.pem'
assert cert.registrationId == 'devkit-test-01' && cert.expectedRegistrationId == 'devkit-test-01'
assert cert.ok == true && cert.causes == [] && cert.status == 'recomputed'
assert cert.warnings == ['DEVICE_ID_KEY_RECOVERABLE']
assert cert.sha1Thumbprint == Checks.thumbprint('SHA-1', new File(vectorsDir, 'P01/devkit-test-01.pem'))
def outcome = cert.checks.collectEntries { [it.name, it.outcome] }
assert outcome == [certificate: 'pass', layout: 'pass', registrationId: 'pass', fwid: 'pass', signature: 'pass',
                   nonce: 'pass', deviceIdKey: 'warn', recompute: 'pass']
def text = new File(dir, 'dps-verify.txt').getText('UTF-8')
assert text.startsWith('DPS certificate verification: 1 certificate: 1 recomputed\n')
assert text.contains('devkit-test-01.pem (devkit-test-01): recomputed\n')
assert text.contains('PASS recompute       identical, byte for byte')

def log = Checks.log(basedir)
assert log.contains('devkit-test-01.pem (devkit-test-01): recomputed')
assert log.contains('DPS verify: 1 certificate: 1 recomputed; report: target/dps-verify/dps-verify.txt')
assert log.contains('[WARNING] 1 of 1 certificate is signed with the DevKit\'s fixed ECDSA nonce: DeviceID private key recoverable')
assert log.contains('BUILD SUCCESS')
assert log.count('[WARNING] unknown property dps.registrationID; did you mean dps.registrationId?') == 1
Checks.noSecrets(basedir, ['0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'])
return true
