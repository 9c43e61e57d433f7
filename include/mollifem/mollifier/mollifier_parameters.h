#ifndef mollifem_mollifier_mollifier_parameters_h
#define mollifem_mollifier_mollifier_parameters_h

#include <deal.II/base/parameter_handler.h>
#include <deal.II/base/point.h>

#include <string>
#include <vector>

namespace mollifem
{
  using namespace dealii;

  /**
   * Parameters of subsection `Mollifier`: the kernel $\eta$, its radius
   * $\delta$ (the bandwidth), the treatment of kernel balls that leave the
   * domain, and the quadrature that resolves the kernel on the mesh.
   */
  struct MollifierParameters
  {
    /// Registered kernel profile ("bump", "polynomial").
    std::string kernel = "bump";

    /// Bandwidth mode.
    enum class Bandwidth
    {
      /// $\delta$ given in lengths, the same everywhere (per axis if
      /// several radii are given).
      fixed,
      /// $\delta(x) = c\, h(x)$, a multiple of the local cell size.
      cell_size
    };
    Bandwidth bandwidth = Bandwidth::fixed;

    /// Radii per axis for Bandwidth::fixed [length]; one entry means the
    /// same radius on every axis.
    std::vector<double> radius = {0.1};

    /// $c$ for Bandwidth::cell_size.
    double radius_in_cells = 4.;

    /// Correct the kernel by local moment conditions (true), or use the
    /// plain kernel truncated at the boundary (false).
    bool moment_corrected = true;

    /// Polynomial degree reproduced exactly by the corrected kernel;
    /// negative ('auto'): one more than the order of each derivative.
    int reproduction_degree = -1;

    /// Minimal number of quadrature points per kernel radius along each
    /// axis; cells larger than that allows are subdivided.
    unsigned int quadrature_points_per_radius = 8;

    /// What the driver computes from the observed data (names as in
    /// DifferentialOperator::parse()); empty: nothing.
    std::vector<std::string> derivatives;

    static void
    declare_parameters(ParameterHandler &prm);

    /// Read and check the values for a problem in @p dim dimensions
    /// (ExcParameter naming the entry).
    void
    parse_parameters(ParameterHandler &prm, const unsigned int dim);

    /// The radii per axis for Bandwidth::fixed as a point.
    template <int dim>
    Point<dim>
    fixed_radii() const;

    /// The reproduction degree for a derivative of order @p order.
    unsigned int
    degree_for(const unsigned int order) const;
  };
} // namespace mollifem

#endif
