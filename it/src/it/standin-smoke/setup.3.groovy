def StandIn = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'StandIn.groovy'))
StandIn.killMavenAfter(basedir, /GET \/enrollments\/smoke-1 200/, 1)
return true
