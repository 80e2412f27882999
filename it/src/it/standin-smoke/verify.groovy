def StandIn = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'StandIn.groovy'))
def dps = StandIn.of(basedir)
try {
    assert dps.requests() == ['GET /enrollments/smoke-1 200']: dps.requests()
    assert dps.writeCalls() == 0
    def log = new File(basedir, 'build.log').getText('UTF-8')
    assert log.contains('probe: GET /enrollments/smoke-1 -> 200')
    assert !log.contains(dps.key()): 'the key is in the build log'
} finally {
    StandIn.stop(basedir)
}
return true
