#ifndef mollifem_data_observations_h
#define mollifem_data_observations_h

#include <deal.II/base/point.h>

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace mollifem
{
  using namespace dealii;

  /**
   * A structured (image-like) grid of points:
   * $x_{i,j,k} = o + (i h_x, j h_y, k h_z)$ with $0 \le i < n_x$ etc., the
   * first coordinate varying fastest.
   */
  template <int dim>
  struct StructuredGrid
  {
    std::array<unsigned int, dim> n_points;
    Point<dim>                    origin;
    std::array<double, dim>       spacing;

    /// $n_x n_y n_z$.
    unsigned int
    size() const;

    /// The points, first coordinate fastest.
    std::vector<Point<dim>>
    points() const;

    /// A grid of @p n points per direction spanning the box [lower, upper].
    static StructuredGrid
    spanning(const Point<dim> &                   lower,
             const Point<dim> &                   upper,
             const std::array<unsigned int, dim> &n);
  };

  /**
   * Observed values of one scalar field: at a fixed set of points, either
   * once (steady data) or at several times (the same points at every time).
   *
   * The points remember the file and line they were read from, so that later
   * checks (a point outside the domain, say) can name them.
   */
  template <int dim>
  struct Observations
  {
    /// Observation points.
    std::vector<Point<dim>> points;

    /// Observation times, increasing; empty for steady data.
    std::vector<double> times;

    /// values[i][j]: the value at time i (i = 0 for steady data), point j.
    std::vector<std::vector<double>> values;

    /// Name of the observed field (the value column of a CSV file).
    std::string field_name = "u";

    /// Set if the points form a structured grid (in that grid's order).
    std::optional<StructuredGrid<dim>> grid;

    /// The file the data came from, empty if they were made in memory.
    std::string source_file;

    /// For every point, the line of source_file it was first read from.
    std::vector<unsigned int> source_lines;

    unsigned int
    n_points() const;

    /// Number of snapshots: 1 for steady data.
    unsigned int
    n_snapshots() const;

    bool
    is_transient() const;

    /// Where point @p i came from, for messages: the file and line, or "".
    std::string
    origin_of_point(const unsigned int i) const;

    /// Throw (ExcMessage) unless the sizes of points, times and values agree.
    void
    check_consistency() const;
  };
  /**
   * Quadrature weights of the observation points, for sums that stand for
   * integrals over the domain (the mollifier's): the trapezoidal rule on a
   * structured grid; the domain's @p volume shared equally by scattered
   * points.
   */
  template <int dim>
  std::vector<double>
  quadrature_weights(const Observations<dim> &observations,
                     const double             volume);
} // namespace mollifem

#endif
