#include <deal.II/base/utilities.h>

#include <mollifem/base/exceptions.h>
#include <mollifem/base/parameters.h>
#include <mollifem/data/observation_parameters.h>

#include <fstream>

namespace mollifem
{
  void
  ObservationParameters::declare_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Observations");
    {
      prm.declare_entry("Source",
                        "synthetic",
                        Patterns::Selection("synthetic|file"),
                        "'synthetic': solve the model with the ground-truth "
                        "coefficient on a finer mesh, sample it and add "
                        "noise. 'file': read the data file.");
      prm.declare_entry("File",
                        "",
                        Patterns::Anything(),
                        "Data file for Source = file: .csv (columns "
                        "x[,y[,z]][,t],u) or .vtk (legacy structured "
                        "points); see doc/data-formats.md. Several "
                        "experiments (lists of expressions in subsection "
                        "Model): one file per experiment, separated by ';', "
                        "all with the same points and times.");
      prm.declare_entry("Sampling",
                        "grid",
                        Patterns::Selection("grid|random|points file"),
                        "Where synthetic data are observed: on a structured "
                        "grid, at random points in the domain, or at the "
                        "points of a CSV file.");
      prm.declare_entry("Grid points",
                        "21",
                        Patterns::List(Patterns::Integer(1, 100000), 1, 3),
                        "Grid points per direction, e.g. '41, 21'; a single "
                        "number applies to every direction.");
      prm.declare_entry("Grid box",
                        "",
                        Patterns::Anything(),
                        "The box the grid spans, 'x0,y0 : x1,y1' (lengths); "
                        "empty: the bounding box of the domain. Every grid "
                        "point must lie in the domain.");
      prm.declare_entry("Number of random points",
                        "500",
                        Patterns::Integer(1),
                        "Number of points for Sampling = random.");
      prm.declare_entry("Points file",
                        "",
                        Patterns::Anything(),
                        "CSV file with columns x[,y[,z]] for Sampling = "
                        "points file (other columns are ignored).");
      prm.declare_entry("Sampling seed",
                        "1",
                        Patterns::Integer(0),
                        "Seed of the random points.");
      prm.declare_entry("Times",
                        "",
                        Patterns::Anything(),
                        "Observation times of a transient model [time], "
                        "comma-separated, within the time interval; empty: "
                        "the end time only. States between time steps are "
                        "interpolated linearly.");
      prm.declare_entry("Noise level",
                        "0.01",
                        Patterns::Double(0.),
                        "Relative noise of synthetic data: Gaussian with "
                        "standard deviation sigma = level * RMS(data), so "
                        "0.01 is 1% noise.");
      prm.declare_entry("Noise seed",
                        "42",
                        Patterns::Integer(0),
                        "Seed of the noise.");
      prm.declare_entry("Additional refinement",
                        "1",
                        Patterns::Integer(0, 6),
                        "Synthetic data are made on the mesh refined "
                        "globally this many more times than the inversion "
                        "mesh (at least 1 avoids the 'inverse crime').");
      prm.declare_entry("Data mesh level",
                        "-1",
                        Patterns::Integer(-1, 12),
                        "If >= 0: synthetic data are made on the coarse mesh "
                        "refined globally this many times (and in the local "
                        "refinement region as the inversion mesh), whatever "
                        "the inversion mesh; replaces 'Additional "
                        "refinement'. Studies that sweep the inversion mesh "
                        "set it so that every case fits the same data. It "
                        "must exceed the inversion mesh's 'Initial global "
                        "refinement'. -1: use 'Additional refinement'.");
      prm.declare_entry("Write files",
                        "true",
                        Patterns::Bool(),
                        "Write the observations to the output directory as "
                        "observations.csv (and observations.vtk on a grid), "
                        "readable with Source = file.");
    }
    prm.leave_subsection();
  }



  void
  ObservationParameters::parse_parameters(ParameterHandler &prm)
  {
    const std::vector<std::string> section = {"Observations"};
    prm.enter_subsection("Observations");
    {
      source   = prm.get("Source");
      file     = Utilities::trim(prm.get("File"));
      files    = Utilities::split_string_list(file, ';');
      sampling = prm.get("Sampling");
      grid_points.clear();
      for (const auto &n : Utilities::split_string_list(prm.get("Grid points")))
        grid_points.push_back(Utilities::string_to_int(n));
      grid_box        = Utilities::trim(prm.get("Grid box"));
      n_random_points = prm.get_integer("Number of random points");
      points_file     = Utilities::trim(prm.get("Points file"));
      sampling_seed   = prm.get_integer("Sampling seed");
      times           = Parameters::parse_numbers(prm.get("Times"),
                                        Parameters::path(section, "Times"));
      noise_level           = prm.get_double("Noise level");
      noise_seed            = prm.get_integer("Noise seed");
      additional_refinement = prm.get_integer("Additional refinement");
      data_mesh_level       = prm.get_integer("Data mesh level");
      write_files           = prm.get_bool("Write files");
    }
    prm.leave_subsection();

    const auto require_file = [](const std::string &name,
                                 const std::string &parameter) {
      AssertThrow(!name.empty(),
                  ExcParameter(parameter, "no file is given."));
      std::ifstream in(name);
      AssertThrow(in.good(),
                  ExcFile(name,
                          0,
                          "the file (parameter " + parameter +
                            ") does not exist or cannot be read."));
    };
    if (source == "file")
      {
        AssertThrow(!files.empty(),
                    ExcParameter("Observations/File", "no file is given."));
        for (const auto &name : files)
          require_file(name, "Observations/File");
      }
    else if (sampling == "points file")
      require_file(points_file, "Observations/Points file");

    for (unsigned int i = 1; i < times.size(); ++i)
      AssertThrow(times[i] > times[i - 1],
                  ExcParameter("Observations/Times",
                               "the times must increase."));
  }
} // namespace mollifem
