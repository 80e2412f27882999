def Checks = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Checks.groovy'))
def log = Checks.log(basedir)
assert log.contains('BUILD FAILURE')
assert log.contains('RIOT_CORE_OR_UDS_CHANGED: riot_core or UDS changed: the DeviceID key differs')
assert log.contains('but this UDS and the firmware\'s riot_core give')
assert !log.contains('RIOT_FW_CHANGED')
def cert = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/dps-verify/dps-verify.json')).certificates[0]
assert cert.causes == ['RIOT_CORE_OR_UDS_CHANGED']
assert cert.checks.find { it.name == 'fwid' }.outcome == 'pass'
assert cert.checks.find { it.name == 'recompute' }.cause == 'RIOT_CORE_OR_UDS_CHANGED'
Checks.noSecrets(basedir, ['0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'])
return true
