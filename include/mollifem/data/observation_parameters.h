#ifndef mollifem_data_observation_parameters_h
#define mollifem_data_observation_parameters_h

#include <deal.II/base/parameter_handler.h>

#include <string>
#include <vector>

namespace mollifem
{
  using namespace dealii;

  /**
   * Parameters of subsection `Observations`: where the data come from (a
   * file, or synthetic: the model solved with the ground-truth coefficient on
   * a finer mesh), where and when they are sampled, and their noise.
   */
  struct ObservationParameters
  {
    /// "synthetic" or "file".
    std::string source = "synthetic";
    /// The data file (.csv or .vtk) if source is "file", as given.
    std::string file;
    /// The data files of the experiments ("File" is a ';'-separated list
    /// with one file per experiment).
    std::vector<std::string> files;
    /// "grid", "random" or "points file".
    std::string sampling = "grid";
    /// Points per direction of the grid; one entry applies to all.
    std::vector<unsigned int> grid_points = {21};
    /// Box of the grid, "x0,y0 : x1,y1"; empty: the domain's bounding box.
    std::string grid_box;
    unsigned int n_random_points = 500;
    std::string  points_file;
    unsigned int sampling_seed = 1;
    /// Observation times of transient models; empty: the end time.
    std::vector<double> times;
    double       noise_level        = 0.01;
    unsigned int noise_seed         = 42;
    unsigned int additional_refinement = 1;
    /// If >= 0: the global refinement of the coarse mesh for synthetic
    /// data, whatever the inversion mesh (replaces additional_refinement).
    int          data_mesh_level = -1;
    bool         write_files        = true;

    static void
    declare_parameters(ParameterHandler &prm);

    /// Read and check (files must exist, values be admissible).
    void
    parse_parameters(ParameterHandler &prm);
  };
} // namespace mollifem

#endif
