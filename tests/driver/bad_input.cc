// Bad input stops the driver before it writes anything: a missing or
// unbalanced parameter file, misspelled parameters, values outside their
// pattern, broken expressions, inconsistent settings, missing or bad data
// files, observation points outside the domain, and inconsistent lists of
// experiments. Each case prints the message (which names the file and line,
// or the parameter) and checks that the exit code is 1 and that no output
// directory was created.

#include <deal.II/base/mpi.h>

#include <mollifem/study/driver.h>

#include <filesystem>
#include <fstream>

#include "../tests.h"

using namespace dealii;
using namespace mollifem;

unsigned int n_cases = 0;

void
check(const std::string &description,
      const std::string &prm_content,
      const bool         write_prm     = true,
      const bool         append_output = true)
{
  ++n_cases;
  const std::string prm_name  = "case-" + std::to_string(n_cases) + ".prm";
  const std::string directory = "results-" + std::to_string(n_cases);
  // A directory left by an earlier run of the test would fake a write.
  std::filesystem::remove_all(directory);
  if (write_prm)
    {
      std::ofstream prm(prm_name);
      prm << prm_content;
      if (append_output)
        prm << "\nsubsection Output\n  set Directory = " << directory
            << "\nend\n";
    }

  std::vector<std::string> arguments = {"mollifem", prm_name};
  std::vector<char *>      argv;
  for (auto &a : arguments)
    argv.push_back(a.data());
  testing::log() << n_cases << ". " << description << std::endl;
  const int code = run_driver(argv.size(), argv.data(), MPI_COMM_WORLD);
  testing::log() << "   exit code " << code << ", nothing written: "
                 << testing::yes_no(!std::filesystem::exists(directory))
                 << std::endl;
}

int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  // The driver reports on std::cerr; keep both streams in order.
  std::cerr.rdbuf(std::cout.rdbuf());

  const std::string small = "subsection Mesh\n  set Initial global refinement = 2\nend\n";

  check("missing parameter file", "", false);
  check("misspelled parameter",
        "subsection Mesh\n  set Initial global refinment = 2\nend\n");
  check("unknown subsection", "subsection Meshes\n  set Foo = 2\nend\n");
  check("value outside its pattern",
        "subsection Mesh\n  set Initial global refinement = 40\nend\n");
  check("unbalanced subsections",
        "subsection Output\n  set Directory = results-5\n",
        true,
        false);
  check("broken expression",
        small + "subsection Model\n  subsection Heat\n    set Source = 1 + sin(x\n"
                "  end\nend\n");
  check("unknown variable in an expression",
        small + "subsection Coefficient\n  set Ground truth = 1 + w\nend\n");
  check("unknown grid generator",
        "subsection Mesh\n  set Grid generator = hyper_sphere_cube\nend\n");
  check("wrong grid arguments",
        "subsection Mesh\n  set Grid arguments = 0 : 1 : maybe\nend\n");
  check("missing mesh file",
        "subsection Mesh\n  set Mesh file = no-such-mesh.msh\nend\n");
  check("end time before start time",
        small + "subsection Time\n  set Start time = 1\n  set End time = 0.5\nend\n");
  check("observation times for a steady model",
        small + "subsection Observations\n  set Times = 0.1\nend\n");
  check("observation time outside the interval",
        small + "subsection Model\n  subsection Heat\n    set Problem = transient\n"
                "  end\nend\nsubsection Observations\n  set Times = 0.5, 2\nend\n");
  check("grid box outside the domain",
        small + "subsection Observations\n  set Grid box = 0,0 : 1.5,1\nend\n");
  check("missing observation file",
        small + "subsection Observations\n  set Source = file\n"
                "  set File = no-such-data.csv\nend\n");

  std::ofstream("outside.csv") << "x,y,u\n0.5,0.5,1\n0.2,1.3,2\n";
  check("observation point outside the domain",
        small + "subsection Observations\n  set Source = file\n"
                "  set File = outside.csv\nend\n");
  std::ofstream("bad-number.csv") << "x,y,u\n0.5,0.5,1\n0.2,0.3,1.0e\n";
  check("observation file with a broken number",
        small + "subsection Observations\n  set Source = file\n"
                "  set File = bad-number.csv\nend\n");
  std::ofstream("transient.csv") << "x,y,t,u\n0.5,0.5,0.1,1\n";
  check("transient data for a steady model",
        small + "subsection Observations\n  set Source = file\n"
                "  set File = transient.csv\nend\n");
  std::ofstream("points.csv") << "x\n0.5\n";
  check("points file without y",
        small + "subsection Observations\n  set Sampling = points file\n"
                "  set Points file = points.csv\nend\n");
  check("unknown derivative for the mollifier",
        small + "subsection Mollifier\n  set Derivatives = value, d5/dx\nend\n");
  check("mollifier radius per axis for the wrong dimension",
        small + "subsection Mollifier\n  set Radius = 0.1, 0.1, 0.1\nend\n");
  check("mollifier radius too small for the data",
        small + "subsection Mollifier\n  set Radius = 0.01\n"
                "  set Derivatives = laplacian\nend\n");
  const std::string stage_2 =
    "subsection Inverse problem\n  subsection Stage 2\n    set Run = true\n";
  check("negative noise level",
        small + "subsection Observations\n  set Noise level = -0.01\nend\n");
  check("stage 2: negative regularization weight",
        small + stage_2 + "    set Regularization weight = -1\n  end\nend\n");
  check("stage 2: lower bound above the upper bound",
        small + stage_2 +
          "    set Lower bound = 2\n    set Upper bound = 1\n  end\nend\n");
  check("stage 2: H2 regularization without a smoothness length",
        small + stage_2 +
          "    set Regularization = H2\n    set Smoothness length = 0\n"
          "  end\nend\n");
  check("stage 2: a neural field with an FE regularization",
        small +
          "subsection Coefficient\n  set Representation = neural\nend\n" +
          stage_2 + "    set Regularization = H1\n  end\nend\n");
  check("stage 2: a neural field from an expression",
        small +
          "subsection Coefficient\n  set Representation = neural\nend\n" +
          stage_2 + "    set Regularization = L2\n"
                    "    set Initial guess = 1 + x\n  end\nend\n");
  check("stage 2: a neural weights file that does not exist",
        small +
          "subsection Coefficient\n  set Representation = neural\n"
          "  subsection Neural network\n    set Weights file = nowhere.txt\n"
          "  end\nend\n" +
          stage_2 + "    set Regularization = L2\n  end\nend\n");
  check("stage 2: a hybrid field with a bound",
        small +
          "subsection Coefficient\n  set Representation = hybrid\nend\n" +
          stage_2 + "    set Lower bound = 0.1\n  end\nend\n");
  check("stage 2: a bound that is not a number",
        small + stage_2 + "    set Upper bound = high\n  end\nend\n");
  check("stage 2: log transform with a lower bound <= 0",
        small + "subsection Coefficient\n  set Log transform = true\nend\n" +
          stage_2 + "    set Lower bound = 0\n  end\nend\n");
  check("chromatin: a nucleoplasm image that does not exist",
        "set Dimension = 2\nsubsection Model\n  set Model = chromatin\n"
        "  subsection Chromatin\n    set Nucleoplasm image = missing.pgm\n"
        "  end\nend\n");
  check("coefficient: a random field with its mean below its floor",
        small + "subsection Coefficient\n  set Ground truth = random field\n"
                "  subsection Random field\n    set Mean = 0.1\n  end\nend\n");
  check("coefficient: a mollification radius that is not positive",
        small + "subsection Coefficient\n  set Mollification radius = -0.1\n"
                "end\n");
  check("stage 2: initial guess from stage 1 without stage 1",
        small + stage_2 + "    set Initial guess = stage 1\n  end\nend\n");
  check("stage 2: noise-free synthetic data and no noise sigma",
        small + "subsection Observations\n  set Noise level = 0\nend\n" +
          stage_2 + "  end\nend\n");
  std::ofstream("data.csv") << "x,y,u\n0.5,0.5,0.01\n0.25,0.75,0.02\n";
  check("stage 2: data from a file and no noise sigma",
        small + "subsection Observations\n  set Source = file\n"
                "  set File = data.csv\nend\n" +
          stage_2 + "  end\nend\n");
  std::ofstream("late.csv")
    << "x,y,t,u\n0.5,0.5,0.5,1\n0.5,0.5,1.5,1\n";
  check("transient data outside the time window",
        small + "subsection Model\n  subsection Heat\n    set Problem = transient\n"
                "  end\nend\nsubsection Observations\n  set Source = file\n"
                "  set File = late.csv\nend\n");
  const std::string two_experiments =
    "subsection Model\n  subsection Heat\n    set Source = 1 ; 2\n"
    "  end\nend\n";
  check("experiments: lists of different lengths",
        small + "subsection Model\n  subsection Heat\n    set Source = 1 ; 2\n"
                "    set Dirichlet value = 0 ; x ; y\n  end\nend\n");
  check("experiments: a list where one value is expected",
        small + "subsection Coefficient\n  set Ground truth = 1 ; 2\nend\n");
  check("experiments: fewer data files than experiments",
        small + two_experiments +
          "subsection Observations\n  set Source = file\n"
          "  set File = data.csv\nend\n");
  std::ofstream("moved.csv") << "x,y,u\n0.5,0.5,0.01\n0.25,0.7,0.02\n";
  check("experiments: data files with different points",
        small + two_experiments +
          "subsection Observations\n  set Source = file\n"
          "  set File = data.csv ; moved.csv\nend\n");
  check("stage 1 with a radius too small for the data (found once the "
        "synthetic data exist, before any output)",
        small + "subsection Mollifier\n  set Radius = 0.01\nend\n"
                "subsection Observations\n  set Grid points = 5\nend\n"
                "subsection Inverse problem\n  set Stage 1 = true\nend\n");
  check("adaptive refinement with a zero radius",
        small + "subsection Mesh\n  set Adaptive refinement steps = 1\n"
                "  set Adaptive refinement radius = 0\nend\n");
  check("adaptive refinement with a radius too small for the data (found "
        "once the data exist, before any output)",
        small + "subsection Mesh\n  set Adaptive refinement steps = 1\n"
                "  set Adaptive refinement radius = 0.01\nend\n"
                "subsection Observations\n  set Grid points = 5\nend\n");
  std::ofstream("truth.csv") << "x,y,u\n0.5,0.5,0.01\n0.25,0.75,0.02\n";
  check("stage 2 from the ground truth with data from a file",
        small + "subsection Observations\n  set Source = file\n"
                "  set File = truth.csv\nend\n"
                "subsection Inverse problem\n  subsection Stage 2\n"
                "    set Run = true\n    set Noise sigma = 0.01\n"
                "    set Initial guess = ground truth\n  end\nend\n");
  check("the Langevin model on a 2D mesh",
        small + "subsection Model\n  set Model = langevin\nend\n");
  check("adaptive cycles with a zero fraction",
        small + "subsection Inverse problem\n  subsection Stage 2\n"
                "    set Run = true\n    set Adaptive cycles = 2\n"
                "    set Adaptive fraction = 0\n  end\nend\n");
  check("a data mesh no finer than the inversion mesh",
        small + "subsection Observations\n  set Data mesh level = 2\nend\n");
  check("a study whose swept parameter does not exist (checked before the "
        "first case runs)",
        small + "subsection Study\n  set Parameter = Mesh/Initial refinement\n"
                "  set Values = 2; 3\nend\n");
  check("a study value the parameter does not take",
        small + "subsection Study\n  set Parameter = Mollifier/Kernel\n"
                "  set Values = polynomial; gaussian-ish\nend\n");
  check("a study value that fails the run's own checks (case 2's bound)",
        small + "subsection Study\n  set Parameter = Inverse problem/Stage 2/"
                "Upper bound\n  set Values = 2; two\nend\n");
  check("study values without a parameter",
        small + "subsection Study\n  set Values = 2; 3\nend\n");
  check("a study series without its label",
        small + "subsection Study\n  set Parameter = Observations/Noise level\n"
                "  set Values = 0.01; 0.02\n  set Series = Mesh/Initial global "
                "refinement = 3\nend\n");
  check("a study that sweeps the output directory",
        small + "subsection Study\n  set Parameter = Output/Directory\n"
                "  set Values = a; b\nend\n");
  std::ofstream("good.csv") << "x,y,u\n0.5,0.5,0.01\n0.25,0.75,0.02\n";
  check("a good run for comparison (exit code 0, output written)",
        small + "subsection Observations\n  set Source = file\n"
                "  set File = good.csv\nend\n"
                "subsection Output\n  set Print timings = false\nend\n");
}
