// After release 1.3.7 and its verify: a copy of its output (the next release writes over target/dps),
// and a file of the user's in target/dps that no manifest lists, which no later run may remove.
import java.nio.file.Files
import java.nio.file.StandardCopyOption

def out = new File(basedir, 'target/dps').toPath()
def copy = new File(basedir, 'target/releases/1.3.7').toPath()
Files.walk(out).withCloseable { s ->
    s.forEach { p -> def to = copy.resolve(out.relativize(p).toString()); Files.isDirectory(p) ? Files.createDirectories(to) : Files.copy(p, to, StandardCopyOption.COPY_ATTRIBUTES) }
}
new File(out.toFile(), 'NOTES.txt').setText('enrolled 2026-12-01\n', 'UTF-8')
return true
