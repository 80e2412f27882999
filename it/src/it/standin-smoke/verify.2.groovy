def StandIn = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'StandIn.groovy'))
def dps = StandIn.of(basedir)
assert dps.requests() == ['GET /enrollments/smoke-1 200', 'GET /enrollments/smoke-1 401']: dps.requests()
dps.resetCounts()
return true
