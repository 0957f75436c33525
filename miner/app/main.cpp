// nonceforge: command-line entry point. Each subcommand lives in its own function; main owns
// the one top-level catch and turns any error into a one-line message and a non-zero exit.
#include <cstdio>
#include <exception>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "miner/benchmark.hpp"

namespace {

std::string VersionText() {
    std::string v = "nonceforge " NF_VERSION;
#if NF_HAVE_CUDA
    v += " (CUDA GPU support built in)";
#else
    v += " (GPU support not built in: built without the CUDA toolkit)";
#endif
    return v;
}

int RunBenchmarkCommand(const nonceforge::miner::BenchmarkOptions& options, bool json,
                        const std::string& json_file) {
    auto report = nonceforge::miner::RunBenchmark(options, [&](const std::string& line) {
        if (!json) {
            spdlog::info("measured {}", line);
        }
    });
    if (report.rows.empty()) {
        std::fprintf(stderr, "nonceforge: no hashing backend could be measured%s\n",
                     options.cpu_impl.empty() ? "" : " (check --cpu-impl)");
        for (const auto& u : report.unavailable) {
            std::fprintf(stderr, "  %s\n", u.c_str());
        }
        return 1;
    }
    if (json) {
        std::cout << report.ToJson().dump(2) << "\n";
    } else {
        std::cout << "\n" << report.ToTable();
    }
    if (!json_file.empty()) {
        std::ofstream out(json_file);
        if (!out) {
            std::fprintf(stderr, "nonceforge: cannot write %s\n", json_file.c_str());
            return 1;
        }
        out << report.ToJson().dump(2) << "\n";
    }
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    try {
        CLI::App app{"nonceforge: a Bitcoin SHA-256d mining client", "nonceforge"};
        app.set_version_flag("-V,--version", VersionText());
        app.require_subcommand(0, 1);

        nonceforge::miner::BenchmarkOptions bench;
        bool bench_json = false;
        std::string bench_json_file;
        CLI::App* bench_cmd =
            app.add_subcommand("benchmark", "Measure the hashrate of every hashing backend");
        bench_cmd->add_option("--seconds", bench.seconds, "Measured seconds per row")
            ->check(CLI::Range(0.2, 3600.0))
            ->capture_default_str();
        bench_cmd->add_option("--cpu-impl", bench.cpu_impl,
                              "Measure only this CPU implementation (e.g. avx2-8way)");
        bench_cmd->add_option("-t,--threads", bench.threads, "CPU threads (default: one per CPU)")
            ->check(CLI::Range(1u, 4096u));
        bench_cmd->add_flag("--cpu-affinity", bench.pin_threads, "Pin worker i to CPU i");
        bench_cmd->add_flag("--json", bench_json, "Print the report as JSON");
        bench_cmd->add_option("--json-file", bench_json_file, "Also write the JSON report here");

        CLI11_PARSE(app, argc, argv);

        if (*bench_cmd) {
            return RunBenchmarkCommand(bench, bench_json, bench_json_file);
        }
        std::cout << app.help();
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "nonceforge: %s\n", e.what());
        return 1;
    }
}
