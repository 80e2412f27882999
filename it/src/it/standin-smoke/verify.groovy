// runs last, also when a run failed: it stops the stand-in
def StandIn = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'StandIn.groovy'))
def dps = StandIn.of(basedir)
try {
    // the third run was killed right after its first request
    assert dps.requests() == ['GET /enrollments/smoke-1 200']: dps.requests()
    assert dps.writeCalls() == 0
    def log = new File(basedir, 'build.log').getText('UTF-8')
    assert log.count('probe: GET /enrollments/smoke-1 -> 200 with DPS_CONNECTION, 401 with DPS_CONNECTION_WRONG_KEY') == 2
    assert !log.contains(dps.key()): 'the key is in the build log'
} finally {
    StandIn.stop(basedir)
}
return true
