def StandIn = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'StandIn.groovy'))
def dps = StandIn.of(basedir)
try {
    // the third run read and wrote nothing
    assert dps.requests() == ['POST /enrollments/query 200']: dps.requests()
    def log = new File(basedir, 'build.log').getText('UTF-8')
    assert !log.contains(dps.key()): 'the key is in the build log'
    assert log.contains('DPS enroll: Enrolled 95 device(s): 0 created, 0 updated, 95 left as they were')
} finally {
    StandIn.stop(basedir)
}
return true
