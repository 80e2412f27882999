// The release covers devkit-test-01 only: devkit-test-02, listed in devices.csv, is missing.
def Checks = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Checks.groovy'))
def log = Checks.log(basedir)
assert log.contains('BUILD FAILURE')
assert log.contains('devices.csv:3 (devkit-test-02): missing [NO_CERTIFICATE]')
assert log.contains('DPS verify: 1 certificate: 1 consistent; 1 listed device missing;')
assert log.contains('1 listed device: missing (no certificate among those verified carries its registration ID):')
def json = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/dps-verify/dps-verify.json'))
assert json.ok == false && json.count == 1 && json.failed == 1
assert json.devices == 'devices.csv'
assert json.statuses.missing == 1
def missing = json.certificates.find { it.status == 'missing' }
assert missing.listed == 'devices.csv:3' && missing.registrationId == 'devkit-test-02' && missing.file == null
assert missing.causes == ['NO_CERTIFICATE']
def text = new File(basedir, 'target/dps-verify/dps-verify.txt').getText('UTF-8')
assert text.startsWith('DPS certificate verification: 1 certificate: 1 consistent; 1 listed device missing\n')
assert text.contains('devices: devices.csv (each must have a certificate)\n')
return true
