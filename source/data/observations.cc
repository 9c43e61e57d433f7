#include <deal.II/base/exceptions.h>

#include <mollifem/data/observations.h>

namespace mollifem
{
  template <int dim>
  unsigned int
  StructuredGrid<dim>::size() const
  {
    unsigned int n = 1;
    for (unsigned int d = 0; d < dim; ++d)
      n *= n_points[d];
    return n;
  }



  template <int dim>
  std::vector<Point<dim>>
  StructuredGrid<dim>::points() const
  {
    std::vector<Point<dim>> result;
    result.reserve(size());
    for (unsigned int index = 0; index < size(); ++index)
      {
        Point<dim>   p   = origin;
        unsigned int rest = index;
        for (unsigned int d = 0; d < dim; ++d)
          {
            p[d] += spacing[d] * (rest % n_points[d]);
            rest /= n_points[d];
          }
        result.push_back(p);
      }
    return result;
  }



  template <int dim>
  StructuredGrid<dim>
  StructuredGrid<dim>::spanning(const Point<dim> &                   lower,
                                const Point<dim> &                   upper,
                                const std::array<unsigned int, dim> &n)
  {
    StructuredGrid<dim> grid;
    grid.n_points = n;
    grid.origin   = lower;
    for (unsigned int d = 0; d < dim; ++d)
      {
        Assert(n[d] >= 1, ExcMessage("A grid needs at least one point."));
        grid.spacing[d] = (n[d] > 1) ? (upper[d] - lower[d]) / (n[d] - 1) : 0.;
        if (n[d] == 1)
          grid.origin[d] = 0.5 * (lower[d] + upper[d]);
      }
    return grid;
  }



  template <int dim>
  unsigned int
  Observations<dim>::n_points() const
  {
    return points.size();
  }



  template <int dim>
  unsigned int
  Observations<dim>::n_snapshots() const
  {
    return values.size();
  }



  template <int dim>
  bool
  Observations<dim>::is_transient() const
  {
    return !times.empty();
  }



  template <int dim>
  std::string
  Observations<dim>::origin_of_point(const unsigned int i) const
  {
    if (source_file.empty())
      return "";
    std::string result = "file <" + source_file + ">";
    if (i < source_lines.size() && source_lines[i] > 0)
      result += ", line " + std::to_string(source_lines[i]);
    return result;
  }



  template <int dim>
  void
  Observations<dim>::check_consistency() const
  {
    AssertThrow(values.size() == std::max<std::size_t>(1, times.size()),
                ExcMessage("Observations: the number of snapshots does not "
                           "match the number of times."));
    for (const auto &snapshot : values)
      AssertThrow(snapshot.size() == points.size(),
                  ExcMessage("Observations: a snapshot does not have one "
                             "value per point."));
    if (grid)
      AssertThrow(grid->size() == points.size(),
                  ExcMessage("Observations: the grid does not match the "
                             "points."));
  }



  template struct StructuredGrid<1>;
  template struct StructuredGrid<2>;
  template struct StructuredGrid<3>;
  template struct Observations<1>;
  template struct Observations<2>;
  template struct Observations<3>;
  template <int dim>
  std::vector<double>
  quadrature_weights(const Observations<dim> &observations,
                     const double             volume)
  {
    if (!observations.grid)
      return std::vector<double>(observations.n_points(),
                                 volume / observations.n_points());
    const StructuredGrid<dim> &grid = *observations.grid;
    std::vector<double>        weights;
    for (unsigned int k = 0; k < grid.size(); ++k)
      {
        double       weight = 1.;
        unsigned int rest   = k;
        for (unsigned int d = 0; d < dim; ++d)
          {
            const unsigned int i = rest % grid.n_points[d];
            rest /= grid.n_points[d];
            if (grid.n_points[d] > 1)
              weight *= grid.spacing[d] *
                        (i == 0 || i + 1 == grid.n_points[d] ? 0.5 : 1.);
          }
        weights.push_back(weight);
      }
    return weights;
  }



  template std::vector<double>
  quadrature_weights<1>(const Observations<1> &, const double);
  template std::vector<double>
  quadrature_weights<2>(const Observations<2> &, const double);
  template std::vector<double>
  quadrature_weights<3>(const Observations<3> &, const double);
} // namespace mollifem
