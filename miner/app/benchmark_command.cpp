// `nonceforge benchmark`: the hashrate of every hashing backend, as a table or JSON.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>

#include <spdlog/spdlog.h>

#include "miner/app/cli_checks.hpp"
#include "miner/app/command.hpp"
#include "miner/benchmark.hpp"

namespace nonceforge::miner::app {

namespace {

struct BenchmarkArgs {
    miner::BenchmarkOptions options;
    bool json = false;
    std::string json_file;
    CLI::Option* cuda = nullptr; // --cuda [IDS]
    bool no_cuda = false;
    bool no_cpu = false;
    std::string algo;
};

int Run(BenchmarkArgs& a) {
    if (a.cuda != nullptr && a.cuda->count() > 0 && !NF_HAVE_CUDA) {
        std::fprintf(stderr, "nonceforge: --cuda: GPU support is not built in (this binary was "
                             "built without the CUDA toolkit)\n");
        return EXIT_USAGE;
    }
    if (a.cuda != nullptr && a.cuda->count() > 0 && a.no_cuda) {
        std::fprintf(stderr, "nonceforge: --cuda and --no-cuda exclude each other\n");
        return EXIT_USAGE;
    }
    if (!a.json_file.empty()) {
        // Checked before measuring for minutes, not after.
        std::ofstream probe(a.json_file, std::ios::app);
        if (!probe) {
            std::fprintf(stderr, "nonceforge: --json-file %s: cannot be written\n",
                         a.json_file.c_str());
            return EXIT_USAGE;
        }
    }
    a.options.cuda = !a.no_cuda;
    a.options.cpu = !a.no_cpu;
    auto report = miner::RunBenchmark(a.options, [&](const std::string& line) {
        if (!a.json) {
            spdlog::info("measured {}", line);
        }
    });
    if (report.rows.empty()) {
        std::fprintf(stderr, "nonceforge: no hashing backend could be measured%s\n",
                     a.options.cpu_impl.empty() ? "" : " (check --cpu-impl)");
        for (const auto& u : report.unavailable) {
            std::fprintf(stderr, "  %s\n", u.c_str());
        }
        return 1;
    }
    if (a.json) {
        std::cout << report.ToJson().dump(2) << "\n";
    } else {
        std::cout << "\n" << report.ToTable();
    }
    if (!a.json_file.empty()) {
        std::ofstream out(a.json_file);
        if (!out) {
            std::fprintf(stderr, "nonceforge: cannot write %s\n", a.json_file.c_str());
            return EXIT_RUNTIME;
        }
        out << report.ToJson().dump(2) << "\n";
    }
    return 0;
}

} // namespace

Command AddBenchmarkCommand(CLI::App& root) {
    auto args = std::make_shared<BenchmarkArgs>();
    CLI::App* cmd =
        root.add_subcommand("benchmark", "Measure the hashrate of every hashing backend");
    cmd->add_option("--seconds", args->options.seconds, "Measured seconds per row")
        ->check(Number("seconds", 0.2, true, 3600))
        ->capture_default_str();
    cmd->add_option("--cpu-impl", args->options.cpu_impl,
                    "Measure only this CPU implementation (e.g. avx2-8way)");
    cmd->add_option("-t,--threads", args->options.threads, "CPU threads (default: one per CPU)")
        ->check(Count(1, 4096));
    cmd->add_flag("--cpu-affinity", args->options.pin_threads, "Pin worker i to CPU i");
    cmd->add_flag("--no-cpu", args->no_cpu, "Do not measure the CPU implementations");
    cmd->add_flag("!--no-probe", args->options.probe,
                  "Skip the instruction-throughput probe (no bound and % of bound columns)");
    args->cuda =
        cmd->add_option("--cuda", args->options.cuda_devices,
                        "Measure these CUDA GPUs (default: every GPU, when built with CUDA)")
            ->expected(0, -1)
            ->delimiter(',')
            ->check(Count(0, 63));
    cmd->add_flag("--no-cuda", args->no_cuda, "Do not measure GPUs");
    cmd->add_option("-a,--algo", args->algo, "Algorithm: only sha256d (for cpuminer habits)")
        ->check(Algorithm());
    cmd->add_flag("--json", args->json, "Print the report as JSON");
    cmd->add_option("--json-file", args->json_file, "Also write the JSON report here");
    return {cmd, [args] { return Run(*args); }};
}

} // namespace nonceforge::miner::app
