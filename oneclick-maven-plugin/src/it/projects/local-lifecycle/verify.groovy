def log = new File(basedir, 'build.log').text
def guid = '0f9e8d7c-6b5a-4c3d-9e2f-1a2b3c4d5e6f'
def bucket = "tmux-builder-${guid}"

// resources.json of the deploys
def json = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/oneclick/resources.json'))
assert json.s3Bucket == bucket : "s3Bucket in resources.json is ${json.s3Bucket}"
assert json.siteUrl?.startsWith('http://127.0.0.1:') : "siteUrl in resources.json is ${json.siteUrl}"

// first deploy uploads the three files, the second none
def files = (log =~ /Files: (\d+) uploaded/).collect { it[1] as int }
assert files.size() == 2 : "expected two deploy summaries, got ${files}"
assert files[0] == 3 : "first deploy uploaded ${files[0]} files"
assert files[1] == 0 : "second deploy uploaded ${files[1]} files"
assert log.contains('Files: 0 uploaded (0 bytes), 0 headers updated, 0 deleted, 3 unchanged')

// the plan after the change lists exactly the changed file
def plans = log.split(/Plan for /)
assert plans.size() == 3 : "expected two plans"
def firstPlan = plans[1]
def uploads = (firstPlan =~ /(?m)^\[INFO\]   upload (\S+)/).collect { it[1] }
assert uploads == ['about.html'] : "plan after the change lists ${uploads}"
assert firstPlan.contains('Plan: 1 to upload (60 bytes), 0 header updates, 0 to delete, 2 unchanged')

// Each goal's own output: the text after its "--- oneclick-maven-plugin:...:<goal>" header, up to the next header
// (deploy also prints the record, so the status checks must look at the status goals' sections only).
def sections = []
log.split(/(?m)^\[INFO\] --- /).drop(1).each { s ->
    def m = s =~ /^oneclick-maven-plugin:[^:]+:([a-z-]+) /
    if (m.find()) {
        sections << [goal: m.group(1), text: s]
    }
}
assert sections*.goal == ['deploy', 'deploy', 'plan', 'status', 'destroy', 'plan', 'status'] : "goals ran: ${sections*.goal}"
def statusBefore = sections[3].text
def destroy = sections[4].text
def statusAfter = sections[6].text

// the deploy summary: created/reused resources, files and bytes, invalidations, URL, where the resources went
def firstDeploy = sections[0].text
def secondDeploy = sections[1].text
assert firstDeploy.contains("Created:     S3 bucket: ${bucket}")
assert firstDeploy.contains('Reused:      none')
assert firstDeploy =~ /Files: 3 uploaded \(\d+ bytes\), 0 headers updated, 0 deleted, 0 unchanged/
assert firstDeploy.contains('Invalidated: none') : 'the local target has no CDN to invalidate'
assert firstDeploy.contains("URL:         ${json.siteUrl}")
assert firstDeploy =~ /Resources: +\S+[\\\/]target[\\\/]oneclick[\\\/]resources\.json/
assert firstDeploy.contains('Tracked record (table tmux-deployments):') : 'deploy to local prints the tracked record'
assert firstDeploy.contains("Local preview of ${guid}: ${json.siteUrl}")
assert secondDeploy.contains('Created:     none')
assert secondDeploy.contains("Reused:      S3 bucket: ${bucket}")

// status prints the tracked record
assert statusBefore.contains('Tracked record (table tmux-deployments):')
assert statusBefore.contains("projectId:   ${guid}")
assert statusBefore.contains('userId:      it-user')
assert statusBefore.contains('status:      DEPLOYED')
assert statusBefore.contains("\"s3Bucket\" : \"${bucket}\"")

// destroy removes the bucket and marks the record DESTROYED, which a later status reads back
assert destroy.contains("Deleted bucket ${bucket}")
assert destroy.contains("Destroyed ${guid}: status DESTROYED")
assert statusAfter.contains("projectId:   ${guid}")
assert statusAfter.contains('status:      DESTROYED')
assert !statusAfter.contains('s3Bucket') : 'the destroyed record lists no bucket'
def secondPlan = plans[2]
assert secondPlan.readLines().any { it.contains('CREATE') && it.contains(bucket) } : 'after destroy the plan creates the bucket again'
assert secondPlan.contains('Plan: 3 to upload') : 'after destroy every file is to upload again'
assert log.contains('The local state (buckets, tables, records) is kept in')
return true
