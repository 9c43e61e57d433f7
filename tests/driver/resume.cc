// Checkpoints and --resume (Inverse problem/Stage 2/Checkpoint interval):
// card B2 (steady heat, three sources, 1% noise) on 8 x 8 cells with one
// adaptive cycle, H1 with a fixed weight, a checkpoint every 2 iterations.
// An uninterrupted run is compared with one stopped right after its third
// checkpoint (Stop after checkpoints = 3, as a kill would leave it: no
// summary, the checkpoint on disk) and continued with 'mollifem FILE.prm
// --resume'. The resumed run ends equal to the uninterrupted one: the
// history files of both cycles are identical byte for byte (every
// iteration's objective, misfit, gradient, step and scores to 6 digits),
// and so are the final scores to 12 digits; the checkpoint is gone at the
// end. Resuming with other parameters, from a checkpoint in another
// format, or without a checkpoint, stops with a message before any work. Same on 1 and 4 ranks (the checkpoint stores
// the fields cell by cell, independent of the partition; the 2-rank run was
// dropped to keep CI within its time).

#include <deal.II/base/exceptions.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "../tests.h"
#include "run_prm.h"

using namespace dealii;
using namespace mollifem;

std::string
prm(const unsigned int stop_after, const std::string &weight = "0.001")
{
  return testing::heat_b2_prm("FE field") +
         "subsection Mesh\n  set Initial global refinement = 3\nend\n"
         "subsection Observations\n  set Additional refinement = 3\nend\n"
         "subsection Inverse problem\n  subsection Stage 2\n"
         "    set Run = true\n    set Initial guess = 1\n"
         "    set Regularization = H1\n    set Regularization weight = " +
         weight +
         "\n    set Gradient tolerance = 1e-6\n"
         "    set Adaptive cycles = 1\n    set Checkpoint interval = 2\n"
         "    set Stop after checkpoints = " +
         std::to_string(stop_after) + "\n  end\nend\n";
}

/// The line of @p screen with the error message ("" if none).
std::string
error_line(const std::string &screen)
{
  std::istringstream in(screen);
  std::string        line;
  while (std::getline(in, line))
    if (line.find("error:") != std::string::npos)
      return line;
  return "";
}



int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const auto full = testing::run_prm(prm(0), "results-full");

  std::string screen;
  int         code = testing::run_prm(prm(3), "results-part", false, screen);
  testing::log() << "stopped run: exit code " << code << ", says so: "
                 << testing::yes_no(screen.find("Stopped after checkpoint 3") !=
                                    std::string::npos)
                 << ", no summary: "
                 << testing::yes_no(
                      !std::filesystem::exists("results-part/summary.json"))
                 << ", checkpoint written: "
                 << testing::yes_no(
                      std::filesystem::exists("results-part/checkpoint.txt"))
                 << std::endl;

  code = testing::run_prm(prm(0, "0.002"), "results-part", false, screen, {"--resume"});
  testing::log() << "resumed with another weight: exit code " << code
                 << ", refused: "
                 << testing::yes_no(screen.find("other parameters") != std::string::npos)
                 << std::endl
                 << error_line(screen) << std::endl;

  // A checkpoint in another format (an older mollifem's) is refused too.
  const std::string checkpoint = testing::text_of("results-part/checkpoint.txt");
  MPI_Barrier(MPI_COMM_WORLD);
  if (Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
    std::ofstream("results-part/checkpoint.txt")
      << "mollifem checkpoint 1" << checkpoint.substr(checkpoint.find('\n'));
  MPI_Barrier(MPI_COMM_WORLD);
  code = testing::run_prm(prm(0), "results-part", false, screen, {"--resume"});
  testing::log() << "resumed from a checkpoint of another format: exit code "
                 << code << ", refused: "
                 << testing::yes_no(screen.find("another version") != std::string::npos)
                 << std::endl
                 << error_line(screen) << std::endl;
  if (Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
    std::ofstream("results-part/checkpoint.txt") << checkpoint;
  MPI_Barrier(MPI_COMM_WORLD);

  const auto resumed =
    testing::run_prm(prm(0), "results-part", screen, {"--resume"});
  testing::log() << "resumed run: exit code 0, continued at iteration "
                 << (screen.find("Resuming stage 2 from the checkpoint at iteration 6") !=
                         std::string::npos ?
                       "6" :
                       "?")
                 << std::endl;

  const bool same_history =
    testing::same_files("results-full",
                        "results-part",
                        {"stage_2_history.csv", "stage_2_history_cycle_1.csv"});
  const bool same_scores = testing::same_entries(
    full,
    resumed,
    {"stage 2/correlation",
     "stage 2/relative L2 error",
     "stage 2/misfit",
     "stage 2/iterations",
     "stage 2 cycles/0/correlation",
     "stage 2 cycles/0/iterations",
     "stage 2 cycles/1/active cells"});
  testing::log() << "histories of both cycles identical: "
                 << testing::yes_no(same_history)
                 << "\nfinal scores, misfit, iterations and mesh identical: "
                 << testing::yes_no(same_scores) << "\ncheckpoint removed: "
                 << testing::yes_no(
                      !std::filesystem::exists("results-part/checkpoint.txt"))
                 << std::endl;

  code = testing::run_prm(prm(0), "results-part", false, screen, {"--resume"});
  testing::log() << "resumed again without a checkpoint: exit code " << code
                 << ", refused: "
                 << testing::yes_no(screen.find("no checkpoint") != std::string::npos)
                 << std::endl
                 << error_line(screen) << std::endl;
  return 0;
}
