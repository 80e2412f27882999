// An RFC 6979 certificate under the DevKit's nonce policy: named, and confirmed by regenerating it.
def Checks = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Checks.groovy'))
def log = Checks.log(basedir)
assert new File(basedir, 'target/dps/devkit-test-01.pem').isFile(): 'generate ran first'
assert log.contains('BUILD FAILURE')
assert log.contains('NONCE_POLICY_DIFFERS: nonce policy differs: the certificate is signed with another ECDSA nonce'
        + ' policy than the device uses, so the device presents different bytes')
assert log.contains('identical to the certificate signed with the rfc6979 nonce, but the device signs with the devkit'
        + ' nonce')
def json = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/dps-verify/dps-verify.json'))
assert json.uds == "settings.xml server 'uds-p01'"
def cert = json.certificates[0]
assert cert.file == 'devkit-test-01.pem' && cert.expectedRegistrationId == 'devkit-test-01'
assert cert.causes == ['NONCE_POLICY_DIFFERS']
assert cert.warnings == []: 'an RFC 6979 signature does not give the key away'
assert cert.checks.find { it.name == 'nonce' }.cause == 'NONCE_POLICY_DIFFERS'
assert cert.checks.find { it.name == 'recompute' }.cause == 'NONCE_POLICY_DIFFERS'
assert cert.checks.find { it.name == 'fwid' }.outcome == 'pass'
Checks.noSecrets(basedir, ['0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'])
return true
