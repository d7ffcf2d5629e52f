def log = new File(basedir, 'build.log').text
// the goal ran in a child JVM (its own debug line, relayed), started from the plugin's class realm
assert log =~ /\[DEBUG\] Running DeployMojo in a forked JVM \(pid \d+\)/ : 'the child JVM ran the goal'
assert log.contains('timing: forking the goal\'s JVM (writing the class-data archive')
// the child's failure is the build's failure, with the message the in-process goal gives
assert log =~ /\[ERROR\] Failed to execute goal .*oneclick:deploy failed: Could not reach DynamoDB/
// and its cause is the child's own stack trace, down to the refused connection
assert log =~ /Caused by: dev\.oneclick\.maven\.internal\.ForkedGoal.ChildFailure: in the forked JVM: org\.apache\.maven\.plugin\./
assert log =~ /(?s)ChildFailure.*Caused by: .*Connection refused/
// the user's -D properties reached the child: credentials came from aws.accessKeyId, not a missing chain
assert !log.contains('Unable to load credentials')
// a child that failed leaves no class-data archive behind, whole or partial
def cds = new File(basedir, 'target/cds')
assert !cds.exists() || cds.listFiles().length == 0 : "left in ${cds}: ${cds.listFiles()}"
assert !new File(basedir, 'target/oneclick/resources.json').exists()
return true
