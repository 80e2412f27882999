def StandIn = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'StandIn.groovy'))
StandIn.of(basedir).resetCounts()
StandIn.killMavenAfter(basedir, StandIn.WRITES, 2)
return true
