// The refusal names the device; the UDS written in the POM is in the log only as a line of Maven's own
// dump of the POM's XML, not in the setter line Maven logs for <uds>, and no output was written.
def Checks = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Checks.groovy'))
def uds = '47671826535671daee64898c37347907516c398cf230d6365822be2c35c3479b'
def log = Checks.log(basedir)
assert log.contains('[DEBUG]')
assert log.contains('BUILD FAILURE')
assert log.contains('uds: <uds> of device #2 of <devices> is refused')
// the setter's line: Maven logged what Device.setUds received, the placeholder
assert log.contains('(s) uds = (a UDS written in the POM: refused, not shown)')
def lines = log.readLines()
def withUds = lines.findAll { it.toLowerCase().contains(uds) }
assert !withUds.isEmpty(): 'Maven dumps the POM configuration with -X: the check below would test nothing'
// not assert ... : withUds, which would print the lines
withUds.each { line -> if (!(line ==~ /\s*<uds>[0-9a-f]{64}<\/uds>\s*/)) throw new AssertionError('the UDS is on a log line that is not XML of the POM') }
assert !new File(basedir, 'target/dps').exists()
return true
