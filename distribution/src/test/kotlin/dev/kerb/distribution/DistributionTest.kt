package dev.kerb.distribution

import dev.kerb.core.MaxNorm
import dev.kerb.model.ModelSpec
import dev.kerb.testdata.KerasCorpus
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import java.nio.file.Files
import java.nio.file.Path
import kotlin.io.path.copyTo
import kotlin.io.path.createDirectories
import kotlin.io.path.div
import kotlin.io.path.exists
import kotlin.io.path.isExecutable
import kotlin.io.path.readBytes

/**
 * Unpacks kerb-VERSION.zip into an empty folder, puts its bin/ on the PATH, and runs the commands from another folder
 * on files given by relative paths. Expected outputs come from the build's own kerb.jar run on the same files, so the
 * distribution must behave as the command line the other tests check.
 */
class DistributionTest : FunSpec({
    val version = System.getProperty("kerb.version")
    val dist = Path.of(System.getProperty("kerb.dist.dir"))
    val repo = Path.of(System.getProperty("kerb.repo.dir"))
    val root = Files.createTempDirectory("kerb-dist-")
    val home = root / "install" / "kerb-$version"
    val work = (root / "work").createDirectories()
    val zipEntries = Archives.unzip(dist / "kerb-$version.zip", root / "install")
    val kerb = CommandLine(home / "bin", work, root / "djl-cache")
    val reference = CommandLine.jar(repo / "cli" / "target" / "kerb.jar", work)

    afterSpec { root.toFile().deleteRecursively() }

    val mlp = KerasCorpus.file("dl4j-keras1-mlp-sequential-maxnorm-nonneg-unitnorm-minmaxnorm.json").copyTo(work / "mlp.json")
    val lenet = KerasCorpus.file("kotlindl-tfkeras2.2.4-lenet-sequential-maxnorm-kernel-bias.json").copyTo(work / "lenet.json")
    val eegnet = KerasCorpus.file("arl-eegmodels-eegnet-tfkeras2.1.6-functional-depthwise-maxnorm.model_config.json")
        .copyTo(work / "eegnet.json")
    val weights = (repo / "model/src/test/resources/weights/keras3.15.1/dense_model.keras").copyTo(work / "dense.keras")

    test("the zip and the tar.gz hold the same files with the same modes") {
        Archives.tarGzEntries(dist / "kerb-$version.tar.gz") shouldBe zipEntries
        (home / "bin" / "kerb").isExecutable() shouldBe true
        String((home / "bin" / "kerb.bat").readBytes()) shouldContain "\r\n"
        listOf("LICENSE", "NOTICE", "README.md", "CHANGELOG.md").filterNot { (home / it).exists() } shouldHaveSize 0
    }

    test("describe, summary and check print what the build's kerb.jar prints") {
        for (args in listOf(listOf("describe", "mlp.json"), listOf("summary", "lenet.json"), listOf("check", "dense.keras"))) {
            val run = kerb(args)
            run shouldBe reference(args)
            run.stdout shouldContain if (args[0] == "summary") "Total params" else "MaxNorm"
        }
    }

    test("constrain writes a file whose every constraint then holds") {
        kerb(listOf("check", weights.fileName.toString())).exitCode shouldBe 3
        val constrain = kerb(listOf("constrain", "dense.keras", "-o", "dense-constrained.keras"))
        constrain.exitCode shouldBe 0
        constrain.stdout shouldContain "wrote dense-constrained.keras"
        kerb(listOf("check", "dense-constrained.keras")).exitCode shouldBe 0
    }

    test("run compiles a Kotlin script and saves the model it returns") {
        val script = (repo / "samples/scripts/tighten-eegnet.kerb.kts").copyTo(work / "tighten.kerb.kts")
        val run = kerb(listOf("run", script.fileName.toString(), "--save", "halved.json", "--", eegnet.fileName.toString()))
        run.exitCode shouldBe 0
        run.stderr shouldNotContain "Exception"
        val before = ModelSpec.read(eegnet).constraints().map { (it.constraint as MaxNorm).maxValue.toDouble() }
        val after = ModelSpec.read(work / "halved.json").constraints().map { (it.constraint as MaxNorm).maxValue.toDouble() }
        after shouldContainExactly before.map { it / 2 }
    }

    test("bad input exits 2 with one line") {
        val run = kerb(listOf("describe", "missing.json"))
        run.exitCode shouldBe 2
        run.stderr.trim().lines() shouldHaveSize 1
        run.stderr shouldContain "missing.json"
        mlp.exists() shouldBe true
        lenet.exists() shouldBe true
    }
})
